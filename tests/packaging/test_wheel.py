"""The built wheel works on its own: a fresh virtual environment, an empty folder, no checkout.

Builds the wheel with the same command as the Dockerfile, installs it (with the project's pinned
constraints, from pip's cache when warm) into a new virtual environment, and from an empty folder
runs what a new user runs first: ``scenarios list``, ``practice`` (piped), ``grade``, ``db upgrade``
(which must write to the user's data folder, not into site-packages), ``serve`` (``/livez`` and
``/readyz``), and ``eval`` (its cases ship in the package too). About a minute with a warm cache.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

import trainer
from tests.packaging.build import ROOT, WHEEL_COMMAND

pytestmark = pytest.mark.packaging


@dataclass(frozen=True)
class Installed:
    bin: Path
    home: Path
    workdir: Path
    env: dict[str, str]

    def python(self, code: str) -> str:
        """What ``code`` prints, run by the installed environment's Python from the empty folder."""
        done = subprocess.run(
            [str(self.bin / "python"), "-c", code], capture_output=True, text=True, env=self.env,
            cwd=self.workdir, timeout=60, check=True,
        )  # fmt: skip
        return done.stdout

    def run(self, *args: str, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "trainer"), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.workdir,
            timeout=timeout,
            check=False,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    build = [sys.executable, *WHEEL_COMMAND[1:], str(dist), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True, timeout=300, cwd=root)
    (wheel,) = dist.glob("listening_trainer-*.whl")
    venv.create(root / "venv", with_pip=True)
    pip = [
        str(root / "venv" / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True, timeout=600)
    home, workdir = root / "home", root / "empty"
    home.mkdir()
    workdir.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TRAINER_", "PYTHON", "VIRTUAL_ENV", "XDG_", "PROMETHEUS_", "OTEL_"))
    }
    env.update(HOME=str(home), PATH=f"{root / 'venv' / 'bin'}:{env.get('PATH', '')}")
    yield Installed(root / "venv" / "bin", home, workdir, env)


def test_the_metadata_names_the_distribution_version_and_licence(installed: Installed) -> None:
    probe = (
        "import importlib.metadata as m, json; d = m.distribution('listening-trainer'); "
        "print(json.dumps({'version': d.version, 'extras': d.metadata.get_all('Provides-Extra'), "
        "'license': d.metadata.get('License-File') or d.metadata.get('License'), "
        "'file': __import__('trainer').__file__}))"
    )
    meta = json.loads(installed.python(probe))
    assert meta["version"] == trainer.__version__
    assert meta["license"] and "otel" in meta["extras"]
    assert "site-packages" in meta["file"]  # the installed package, not the checkout
    assert installed.run("--version").stdout.strip() == f"trainer {trainer.__version__}"


def test_scenarios_practice_and_grade_run_from_an_empty_folder(installed: Installed) -> None:
    listed = installed.run("scenarios", "list")
    assert listed.returncode == 0, listed.stderr
    assert "never-a-priority" in listed.stdout
    practice = installed.run("practice", "never-a-priority", stdin="That sounds hard. What happened?\n")
    assert practice.returncode == 0, practice.stderr
    assert "replies: 1" in practice.stdout
    graded = installed.run(
        "grade", stdin=json.dumps({"partner": "I feel unheard.", "reply": "You feel unheard."}) + "\n"
    )
    assert graded.returncode == 0, graded.stderr
    assert "reflection" in json.loads(graded.stdout)["rubrics"]
    assert list(installed.workdir.iterdir()) == []


def test_db_upgrade_writes_to_the_users_data_folder(installed: Installed) -> None:
    done = installed.run("db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert (installed.home / ".local" / "share" / "trainer" / "trainer.db").is_file()
    assert not list(installed.bin.parent.glob("lib/python*/site-packages/var"))


def test_serve_answers_livez_and_readyz(installed: Installed) -> None:
    assert installed.run("db", "upgrade").returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(installed.bin / "trainer"), "serve", "--port", str(port)],
        env=installed.env, cwd=installed.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline, live = time.monotonic() + 30, None
        while time.monotonic() < deadline and live is None:
            try:
                live = httpx.get(f"http://127.0.0.1:{port}/livez", timeout=1)
            except httpx.TransportError:
                time.sleep(0.2)
        assert live is not None and live.status_code == 200
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert ready.status_code == 200 and ready.json()["checks"]["database"]["status"] == "ok"
    finally:
        server.terminate()
        server.wait(15)


def test_eval_runs_on_the_cases_that_ship_in_the_package(installed: Installed) -> None:
    reports = installed.home / "reports"
    done = installed.run("eval", "--suite", "replies", "--report", str(reports))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (reports / "eval-rules.json").is_file()


def test_the_learned_models_ship_in_the_wheel(installed: Installed) -> None:
    # Without its weights file the coder would silently run on the rules alone.
    probe = (
        "from trainer.coding.learned import load_model as coder; "
        "from trainer.safety.model import load_model as screen; "
        "print(coder() is not None, screen().threshold)"
    )
    loaded, threshold = installed.python(probe).split()
    assert loaded == "True" and 0.5 <= float(threshold) < 1.0
