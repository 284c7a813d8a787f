"""/livez, /readyz (and /healthz), and rate limits that fail open when Redis does not answer."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from tests.conftest import issue_key
from trainer.app import create_app
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.store.db import create_engine
from trainer.store.migrate import upgrade


def closed_port() -> int:
    """A loopback port nothing listens on (Redis there is refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def migrated(settings: Settings) -> Settings:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    return settings


async def test_livez_checks_nothing_and_readyz_reports_each_dependency(
    settings: Settings, library: ContentLibrary
) -> None:
    app = create_app(settings, library=library)
    async with AsyncTestClient(app=app) as client:
        assert (await client.get("/livez")).json() == {"status": "ok"}
        ready = (await client.get("/readyz")).json()
        assert ready["status"] == "ok"
        assert ready["checks"]["database"]["status"] == "ok"
        assert ready["checks"]["redis"]["status"] == "not_configured"
        assert ready["checks"]["model"]["status"] == "not_configured"
        assert (await client.get("/healthz")).json() == ready


async def test_readyz_names_the_configured_model_without_calling_it(
    settings: Settings, library: ContentLibrary
) -> None:
    configured = settings.model_copy(
        update={"llm_base_url": "http://127.0.0.1:9/v1", "llm_model": "m-1", "llm_judge_model": "j-2"}
    )
    async with AsyncTestClient(app=create_app(configured, library=library)) as client:
        model = (await client.get("/readyz")).json()["checks"]["model"]
    assert model == {"status": "ok", "detail": "openai: judge j-2, partner m-1"}


async def test_readyz_is_a_503_when_the_database_is_gone(tmp_path: Path, library: ContentLibrary) -> None:
    (tmp_path / "db").mkdir()  # a folder where the database file should be
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'db'}")
    async with AsyncTestClient(app=create_app(settings, library=library)) as client:
        assert (await client.get("/livez")).status_code == 200
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_with_redis_down_rate_limits_fail_open_and_readyz_says_so(
    tmp_path: Path, library: ContentLibrary, caplog: pytest.LogCaptureFixture
) -> None:
    settings = await migrated(
        Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}",
            redis_url=f"redis://127.0.0.1:{closed_port()}/0",
            rate_limit_per_key=2,
        )
    )
    token = await issue_key(settings, name="app")
    auth = {"Authorization": f"Bearer {token}"}
    caplog.set_level(logging.WARNING, logger="trainer.ratelimit")
    async with AsyncTestClient(app=create_app(settings, library=library)) as client:
        statuses = [(await client.get("/v1/scenarios", headers=auth)).status_code for _ in range(5)]
        ready = await client.get("/readyz")
    assert statuses == [200] * 5  # over the limit of 2, but nothing counts: let through
    warnings = [r for r in caplog.records if r.name == "trainer.ratelimit"]
    assert len(warnings) == 1 and "not enforced" in warnings[0].getMessage()
    assert ready.status_code == 200 and ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["redis"]["status"] == "unavailable"


@pytest.mark.skipif(
    not __import__("os").environ.get("TRAINER_TEST_REDIS_URL"), reason="needs TRAINER_TEST_REDIS_URL"
)
async def test_with_redis_up_the_limit_holds_and_refusals_are_counted(
    tmp_path: Path, library: ContentLibrary
) -> None:
    import os
    import secrets

    settings = await migrated(
        Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}",
            redis_url=os.environ["TRAINER_TEST_REDIS_URL"],
            redis_prefix=f"trainer-test-{secrets.token_hex(6)}:",
            rate_limit_per_key=2,
        )
    )
    token = await issue_key(settings, name=f"app-{secrets.token_hex(4)}")
    auth = {"Authorization": f"Bearer {token}"}
    async with AsyncTestClient(app=create_app(settings, library=library)) as client:
        before = (await client.get("/metrics")).text
        statuses = [(await client.get("/v1/scenarios", headers=auth)).status_code for _ in range(3)]
        after = (await client.get("/metrics")).text
        ready = (await client.get("/readyz")).json()
    assert statuses == [200, 200, 429]
    assert ready["status"] == "ok" and ready["checks"]["redis"]["status"] == "ok"

    def refusals(text: str) -> float:
        line = 'trainer_rate_limit_refusals_total{limit="key"}'
        return sum(float(x.rsplit(" ", 1)[1]) for x in text.splitlines() if x.startswith(line))

    assert refusals(after) - refusals(before) == 1
