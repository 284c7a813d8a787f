"""The one way the wheel is built: by tests/packaging/test_wheel.py and by the Dockerfile's build stage."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Run in the project's root; the Dockerfile runs it with ``--wheel-dir /dist``.
WHEEL_COMMAND = ("python", "-m", "pip", "wheel", "--no-deps", "--wheel-dir")
