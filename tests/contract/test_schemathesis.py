"""The served OpenAPI document holds: schemathesis, with every check (stateful links included),
finds nothing against a real server, on SQLite and on PostgreSQL.

A server runs in a subprocess on a fresh database with an admin key (it reaches everything of its
tenant, so the stateful runs can follow every link); rate limits are off, since schemathesis sends
hundreds of requests a minute with one key. Each run has a time budget (``MAX_SECONDS``), so the
pair stays within about three minutes.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.web.live_server import free_port
from trainer.settings import PROJECT_ROOT
from trainer.store.db import create_engine, create_sessionmaker
from trainer.store.keys import create_key
from trainer.store.migrate import upgrade
from trainer.store.tables import Role

pytestmark = pytest.mark.contract

MAX_EXAMPLES = 25
MAX_SECONDS = 60
SCHEMATHESIS = Path(sys.executable).parent / "st"
CONFIG = Path(__file__).with_name("schemathesis.toml")  # what the contract allows beyond the defaults


async def _admin_key(database_url: str) -> str:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        async with create_sessionmaker(engine)() as db:
            created = await create_key(db, name="contract", role=Role.admin, tenant="contract")
            await db.commit()
            return created.token
    finally:
        await engine.dispose()


async def _wait_until_up(url: str, server: asyncio.subprocess.Process) -> None:
    import httpx

    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if server.returncode is not None:
                raise RuntimeError(f"the server exited with {server.returncode}")
            try:
                if (await client.get(f"{url}/healthz", timeout=1.0)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"the server did not answer on {url}")


@pytest.mark.skipif(
    not SCHEMATHESIS.exists(), reason="schemathesis is not installed (pip install -e '.[dev]')"
)
async def test_schemathesis_finds_no_failure(database_url: str, tmp_path: Path) -> None:
    key = await _admin_key(database_url)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TRAINER_DATABASE_URL": database_url,
        "TRAINER_LOG_LEVEL": "ERROR",
        "TRAINER_RATE_LIMIT_PER_KEY": "0",
        "TRAINER_RATE_LIMIT_PER_LEARNER": "0",
        "TRAINER_SESSIONS_PER_LEARNER_PER_HOUR": "0",
    }
    env.pop("TRAINER_LLM_BASE_URL", None)
    env.pop("TRAINER_REDIS_URL", None)
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "uvicorn", "--factory", "trainer.app:app_from_environment",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await _wait_until_up(url, server)
        run = await asyncio.create_subprocess_exec(
            str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", f"{url}/schema/openapi.json",
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--max-examples", str(MAX_EXAMPLES),
            "--max-time", str(MAX_SECONDS),
            "--workers", "1",
            "--seed", "19",
            "--request-timeout", "10",
            "--header", f"Authorization: Bearer {key}",
            "--no-color",
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await asyncio.wait_for(run.communicate(), timeout=MAX_SECONDS + 120)
    finally:
        server.terminate()
        await server.wait()
    text = output.decode(errors="replace")
    summary = re.search(r"=+ (.*) in [\d.]+s =+\s*$", text)
    assert run.returncode == 0, text[-12000:]
    assert summary is not None and "failure" not in summary.group(1), text[-4000:]
