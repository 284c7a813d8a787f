"""A real server for browser tests: uvicorn in a subprocess on a free 127.0.0.1 port, a temp SQLite DB.

The browser is Debian's Chromium driven by Playwright (``playwright install`` cannot download here);
without it the browser tests skip and say how to install it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from trainer.settings import PROJECT_ROOT
from trainer.store.db import create_engine, create_sessionmaker
from trainer.store.keys import create_key
from trainer.store.migrate import upgrade
from trainer.store.tables import Role

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "browser tests need Chromium: apt-get install chromium (and pip install playwright)"
# The README's screenshots are refreshed only on request; otherwise they go to a scratch folder, so a
# test run never changes a tracked file.
SCREENSHOTS = (
    PROJECT_ROOT / "docs" / "screenshots"
    if os.environ.get("TRAINER_UPDATE_SCREENSHOTS") == "1"
    else PROJECT_ROOT / "var" / "screenshots"
)
SCREENSHOTS.mkdir(parents=True, exist_ok=True)
START_TIMEOUT_S = 30.0


def chromium_path() -> str | None:
    for candidate in (os.environ.get("TRAINER_TEST_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class LiveServer:
    url: str
    db_path: Path
    facilitator_key: str
    app_key: str

    def expire_passes(self) -> None:
        """Age every web pass past its expiry (what the clock would do after web_token_minutes)."""
        past = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
        with sqlite3.connect(self.db_path) as connection:
            connection.execute("UPDATE web_passes SET expires_at = ?", (past,))


async def _prepare(database_url: str) -> tuple[str, str]:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        async with create_sessionmaker(engine)() as db:
            facilitator = await create_key(db, name="facilitator", role=Role.facilitator, tenant="workshop")
            app = await create_key(db, name="app", role=Role.app, tenant="workshop")
            await db.commit()
            return facilitator.token, app.token
    finally:
        await engine.dispose()


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer on {url} within {START_TIMEOUT_S} s")


def run_server(directory: Path) -> Iterator[LiveServer]:
    db_path = directory / "live.db"
    database_url = f"sqlite+aiosqlite:///{db_path}"
    # A thread of its own: Playwright's sync API may already run an event loop on this one.
    with ThreadPoolExecutor(max_workers=1) as worker:
        facilitator_key, app_key = worker.submit(asyncio.run, _prepare(database_url)).result()
    port = free_port()
    env = {**os.environ, "TRAINER_DATABASE_URL": database_url, "TRAINER_LOG_LEVEL": "WARNING"}
    # The limits stay at their defaults, but for the one per learner: a test follows hints and
    # replies at machine speed, faster than any person.
    env["TRAINER_RATE_LIMIT_PER_LEARNER"] = "0"
    env.pop("TRAINER_LLM_BASE_URL", None)
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "trainer.app:app_from_environment",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield LiveServer(url=url, db_path=db_path, facilitator_key=facilitator_key, app_key=app_key)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
