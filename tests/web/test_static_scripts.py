"""The pages' scripts parse: a syntax error (two declarations of one name after a merge, say) stops a
whole page, and the browser tests only say that an element never appeared."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "trainer" / "web" / "static"
NODE = shutil.which("node") or shutil.which("nodejs")


@pytest.mark.skipif(NODE is None, reason="needs Node.js to parse the scripts")
@pytest.mark.parametrize("script", sorted(STATIC.glob("*.js")), ids=lambda path: path.name)
def test_each_script_parses(script: Path) -> None:
    assert NODE is not None
    checked = subprocess.run([NODE, "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
