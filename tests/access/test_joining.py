"""Joining and starting limits, on by default: joins and refused codes per client address, joins per
code, members per cohort, sessions started per learner per hour; and the cross-site rules of the
cookie-authenticated pages (Origin, Sec-Fetch-Site, application/json)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.access.test_matrix import matrix_library
from tests.conftest import ApiClient, issue_key
from tests.web.forms import post_form
from trainer.app import create_app
from trainer.settings import Settings
from trainer.store.db import create_engine
from trainer.store.migrate import upgrade
from trainer.store.tables import Role


async def client_for(settings: Settings) -> AsyncIterator[tuple[ApiClient, dict[str, str]]]:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    app = create_app(settings, library=matrix_library())
    key = await issue_key(settings, name="fac", role=Role.facilitator, tenant="t")
    async with AsyncTestClient(app=app) as client:
        yield client, {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[tuple[ApiClient, dict[str, str]]]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'limits.db'}",
        join_limit_per_address=6,
        join_guesses_per_address=3,
        join_limit_per_code=4,
        cohort_max_members=3,
    )
    async for pair in client_for(settings):
        yield pair


async def cohort(client: ApiClient, auth: dict[str, str]) -> dict[str, Any]:
    made = await client.post(
        "/v1/cohorts", json={"name": "Room", "scenarios": ["test-partner"]}, headers=auth
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


async def join(client: ApiClient, code: str, name: str = "Ana") -> Any:
    return await post_form(
        client, "/practice/join", {"code": code, "display_name": name}, follow_redirects=False
    )


def test_limits_are_on_by_default_at_the_readme_values() -> None:
    defaults = Settings()
    assert (defaults.rate_limit_per_key, defaults.rate_limit_per_learner) == (600, 30)
    assert defaults.sessions_per_learner_per_hour == 30
    assert (defaults.join_limit_per_address, defaults.join_guesses_per_address) == (60, 10)
    assert (defaults.join_limit_per_code, defaults.cohort_max_members) == (60, 100)


async def test_guessing_codes_is_stopped_before_the_code_is_looked_up(
    limited: tuple[ApiClient, dict[str, str]],
) -> None:
    client, auth = limited
    room = await cohort(client, auth)
    for _ in range(3):
        assert (await join(client, "AAAA-AAAA")).status_code == 400
    refused = await join(client, room["join_code"])  # even the right code, once guessing is spotted
    assert refused.status_code == 429 and "Too many codes" in refused.text
    assert int(refused.headers["retry-after"]) >= 1
    assert "trainer_practice=" not in refused.headers.get("set-cookie", "")


async def test_a_cohort_takes_no_more_than_its_cap(limited: tuple[ApiClient, dict[str, str]]) -> None:
    client, auth = limited
    room = await cohort(client, auth)
    for name in ("A", "B", "C"):
        assert (await join(client, room["join_code"], name)).status_code == 303
    full = await join(client, room["join_code"], "D")
    assert full.status_code == 409 and "full" in full.text
    added = await client.post(
        f"/v1/cohorts/{room['id']}/learners", json={"learner_id": "app-1", "display_name": "E"}, headers=auth
    )
    assert added.status_code == 409 and added.json()["title"] == "Cohort is full"


async def test_one_code_and_one_address_join_only_so_many_a_minute(
    limited: tuple[ApiClient, dict[str, str]],
) -> None:
    client, auth = limited
    rooms = [await cohort(client, auth) for _ in range(3)]
    statuses = [(await join(client, rooms[0]["join_code"], f"P{i}")).status_code for i in range(5)]
    assert statuses[:3] == [303, 303, 303]  # the cap (3) is reached
    assert statuses[4] == 429  # the fifth use of one code in a minute
    statuses = [(await join(client, rooms[i]["join_code"], "Q")).status_code for i in (1, 2)]
    assert statuses[-1] == 429  # the seventh join from one address in a minute


async def test_a_learner_starts_only_so_many_sessions_an_hour(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'hour.db'}", sessions_per_learner_per_hour=2
    )
    async for client, _ in client_for(settings):
        app_key = await issue_key(settings, name="app", role=Role.app, tenant="t")
        auth = {"Authorization": f"Bearer {app_key}"}
        body = {"scenario_id": "test-partner", "learner_id": "busy"}
        assert [
            (await client.post("/v1/sessions", json=body, headers=auth)).status_code for _ in range(2)
        ] == [
            201,
            201,
        ]
        third = await client.post("/v1/sessions", json=body, headers=auth)
        assert third.status_code == 429 and 3500 <= int(third.headers["retry-after"]) <= 3600
        other = await client.post("/v1/sessions", json={**body, "learner_id": "calm"}, headers=auth)
        assert other.status_code == 201


@pytest.fixture
async def learner_client(tmp_path: Path) -> AsyncIterator[ApiClient]:
    """A client holding a learner's pass."""
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'web.db'}")
    async for client, auth in client_for(settings):
        room = await cohort(client, auth)
        assert (await join(client, room["join_code"])).status_code == 303
        yield client


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "http://127.0.0.1:9999"}, 403),  # another port: the same site, another origin
        ({"Origin": "http://evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Sec-Fetch-Site": "same-site"}, 403),
        ({"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver.local"}, 403),
        ({"Origin": "http://testserver.local", "Sec-Fetch-Site": "same-origin"}, 200),
        ({}, 200),  # not a browser: no cookie of a victim rides along
    ],
)
async def test_unsafe_requests_to_the_pages_must_come_from_their_origin(
    learner_client: ApiClient, headers: dict[str, str], status: int
) -> None:
    response = await learner_client.post("/practice/api/share", json={"share": True}, headers=headers)
    assert response.status_code == status, response.text
    if status == 403:
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_pages_json_calls_take_only_application_json(learner_client: ApiClient) -> None:
    for media in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        refused = await learner_client.post(
            "/practice/api/share", content=b'{"share": true}', headers={"Content-Type": media}
        )
        assert refused.status_code == 415, media
    page = (await learner_client.get("/practice")).text
    assert 'name="share"' in page or "share" in page
    shared = await learner_client.post("/practice/api/share", json={"share": False})
    assert shared.status_code == 200 and shared.json() == {"share": False}


async def test_a_forged_form_post_without_the_token_gives_no_pass(learner_client: ApiClient) -> None:
    learner_client.cookies.clear()
    forged = await learner_client.post(
        "/practice/join", data={"code": "ABCD-EFGH", "display_name": "M"}, follow_redirects=False
    )
    assert forged.status_code == 403 and "expired" in forged.text
    signed = await learner_client.post("/workshop/login", data={"key": "x"}, follow_redirects=False)
    assert signed.status_code == 403
