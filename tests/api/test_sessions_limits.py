"""Rate limits per key and per learner: 429 problems with Retry-After; a sliding one-minute window."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.api.sessions_support import SCENARIO, content_library  # noqa: F401 (fixtures)
from tests.conftest import ApiClient, issue_key
from trainer.api.ratelimit import MemoryWindow, RedisWindow
from trainer.app import create_app
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.store.db import create_engine
from trainer.store.migrate import upgrade


async def limited_client(settings: Settings, library: ContentLibrary) -> AsyncIterator[tuple[ApiClient, str]]:
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    await engine.dispose()
    app: Litestar = create_app(settings, library=library)
    async with AsyncTestClient(app=app) as client:
        yield client, await issue_key(settings, name="limited")


@pytest.fixture
async def per_key(
    tmp_path: pytest.TempPathFactory, library: ContentLibrary
) -> AsyncIterator[tuple[ApiClient, str]]:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/k.db", rate_limit_per_key=3)
    async for pair in limited_client(settings, library):
        yield pair


@pytest.fixture
async def per_learner(
    tmp_path: pytest.TempPathFactory, library: ContentLibrary
) -> AsyncIterator[tuple[ApiClient, str]]:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/l.db", rate_limit_per_learner=2)
    async for pair in limited_client(settings, library):
        yield pair


async def test_the_key_limit_answers_429_with_retry_after(per_key: tuple[ApiClient, str]) -> None:
    client, key = per_key
    auth = {"Authorization": f"Bearer {key}"}
    statuses = [(await client.get("/v1/scenarios", headers=auth)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = await client.get("/v1/scenarios", headers=auth)
    assert limited.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(limited.headers["retry-after"]) <= 60 and "retry" in limited.json()["detail"]


async def test_the_learner_limit_counts_each_learner_apart(per_learner: tuple[ApiClient, str]) -> None:
    client, key = per_learner
    auth = {"Authorization": f"Bearer {key}"}

    async def start(learner: str) -> int:
        body = {"scenario_id": SCENARIO, "learner_id": learner}
        return (await client.post("/v1/sessions", json=body, headers=auth)).status_code

    assert [await start("busy") for _ in range(3)] == [201, 201, 429]
    assert await start("calm") == 201
    session_id = (await client.get("/v1/sessions", params={"learner_id": "calm"}, headers=auth)).json()
    assert session_id["items"]  # the per-learner check let this one through (second request for "calm")
    turn = await client.post(
        f"/v1/sessions/{session_id['items'][0]['id']}/turns", json={"reply": "Hi"}, headers=auth
    )
    assert turn.status_code == 429 and "retry-after" in turn.headers


async def test_the_window_slides() -> None:
    now = [1000.0]
    window = MemoryWindow(clock=lambda: now[0])
    assert [await window.hit("k", 2) for _ in range(2)] == [None, None]
    assert await window.hit("k", 2) == pytest.approx(60.0)
    now[0] += 30
    assert await window.hit("k", 2) == pytest.approx(30.0)
    now[0] += 30.5
    assert await window.hit("k", 2) is None and await window.hit("other", 2) is None


@pytest.mark.skipif(not os.environ.get("TRAINER_TEST_REDIS_URL"), reason="needs TRAINER_TEST_REDIS_URL")
async def test_the_redis_window_is_shared_between_limiters() -> None:
    url = os.environ["TRAINER_TEST_REDIS_URL"]
    first, second = RedisWindow(url, prefix="trainer-test:"), RedisWindow(url, prefix="trainer-test:")
    key = f"shared-{os.getpid()}-{id(first)}"
    try:
        assert await first.hit(key, 2) is None and await second.hit(key, 2) is None
        wait = await first.hit(key, 2)
        assert wait is not None and 0 < wait <= 60
    finally:
        await first.aclose()
        await second.aclose()
