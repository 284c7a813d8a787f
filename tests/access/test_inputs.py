"""No 500 from any input: each of these was a 500 once; each is a clear 4xx problem, on SQLite and on
PostgreSQL. Control characters are refused at the edge with a 422 that names the field (the same
on both databases), never removed quietly."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import pytest
import yaml
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.access.test_matrix import matrix_library, own_scenario
from tests.conftest import ApiClient
from tests.web.forms import post_form
from trainer.app import create_app
from trainer.settings import Settings
from trainer.store.db import create_engine, create_sessionmaker
from trainer.store.keys import create_key
from trainer.store.migrate import upgrade
from trainer.store.tables import Role

JSON = {"Content-Type": "application/json"}


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[tuple[ApiClient, dict[str, str], str]]:
    """A client on a fresh database, an admin key's headers, and the admin key itself."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        async with create_sessionmaker(engine)() as db:
            key = (await create_key(db, name="admin", role=Role.admin, tenant="t")).token
            await db.commit()
    finally:
        await engine.dispose()
    app: Litestar = create_app(Settings(database_url=database_url), library=matrix_library())
    async with AsyncTestClient(app=app) as client:
        yield client, {"Authorization": f"Bearer {key}"}, key


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def a_session(client: ApiClient, auth: dict[str, str], learner: str = "learner-1") -> str:
    started = await client.post(
        "/v1/sessions", json={"scenario_id": "test-partner", "learner_id": learner}, headers=auth
    )
    assert started.status_code == 201, started.text
    session_id: str = started.json()["id"]
    return session_id


async def test_json_nested_a_thousand_deep_is_a_400(world: tuple[ApiClient, dict[str, str], str]) -> None:
    client, auth, _ = world
    deep = "[" * 1000 + "]" * 1000
    for path in ("/v1/sessions", "/v1/grade", "/v1/cohorts", "/practice/api/sessions"):
        body = problem(await client.post(path, content=deep, headers={**auth, **JSON}), 400)
        assert "nests deeper" in body["detail"]


async def test_invalid_utf8_in_a_body_is_a_400_even_before_the_pass_is_checked(
    world: tuple[ApiClient, dict[str, str], str],
) -> None:
    client, auth, _ = world
    raw = b'{"reply": "caf\xe9"}'
    session_id = await a_session(client, auth)
    for path, headers in [
        (f"/v1/sessions/{session_id}/turns", {**auth, **JSON}),
        ("/v1/sessions", {**auth, **JSON}),
        ("/practice/api/sessions", JSON),  # no pass at all
        (f"/practice/api/sessions/{session_id}/turns", JSON),
        ("/practice/api/share", JSON),
    ]:
        body = problem(await client.post(path, content=raw, headers=headers), 400)
        assert "UTF-8" in body["detail"]
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    problem(await client.post("/practice/join", content=b"code=\xff&display_name=x", headers=form), 400)


@pytest.mark.parametrize("cohort_id", [2**63, 2**63 - 1, 2**31, 10**30])
async def test_a_cohort_id_beyond_the_database_integers_is_a_422(
    world: tuple[ApiClient, dict[str, str], str], cohort_id: int
) -> None:
    client, auth, _ = world
    for method, path in [
        ("GET", f"/v1/cohorts/{cohort_id}"),
        ("GET", f"/v1/cohorts/{cohort_id}/progress"),
        ("POST", f"/v1/cohorts/{cohort_id}/revoke-code"),
        ("POST", f"/v1/cohorts/{cohort_id}/codes"),
        ("DELETE", f"/v1/cohorts/{cohort_id}/members/1"),
        ("GET", f"/workshop/api/cohorts/{cohort_id}/progress"),
    ]:
        body = problem(
            await client.request(method, path, headers=auth), 422 if path.startswith("/v1") else 401
        )
        if path.startswith("/v1"):
            assert body["errors"][0]["field"] == "cohort_id"
    added = await client.post(
        f"/v1/cohorts/{cohort_id}/learners", json={"learner_id": "a", "display_name": "A"}, headers=auth
    )
    assert problem(added, 422)["errors"][0]["field"] == "cohort_id"


async def test_a_nul_character_is_a_422_naming_the_field(
    world: tuple[ApiClient, dict[str, str], str],
) -> None:
    client, auth, _ = world
    session_id = await a_session(client, auth)
    cases = [
        (f"/v1/sessions/{session_id}/turns", {"reply": "I hear\x00 you"}, "reply"),
        (f"/v1/sessions/{session_id}/turns/stream", {"reply": "I hear\x00 you"}, "reply"),
        ("/v1/sessions", {"scenario_id": "test-partner", "learner_id": "a\x00b"}, "learner_id"),
        ("/v1/cohorts", {"name": "Tues\x00day", "scenarios": ["test-partner"]}, "name"),
        ("/v1/cohorts", {"name": "Tuesday", "scenarios": ["test\x00partner"]}, "scenarios[0]"),
        ("/v1/grade", {"partner": "I feel left out.", "reply": "\x00"}, "reply"),
    ]
    for path, payload, field in cases:
        body = problem(await client.post(path, json=payload, headers=auth), 422)
        assert body["errors"] == [{"field": field, "message": body["errors"][0]["message"], "source": "body"}]
        assert "control characters" in body["detail"]
    made = await client.post(
        "/v1/cohorts", json={"name": "Room", "scenarios": ["test-partner"]}, headers=auth
    )
    added = await client.post(
        f"/v1/cohorts/{made.json()['id']}/learners",
        json={"learner_id": "x", "display_name": "A\x00na"},
        headers=auth,
    )
    assert problem(added, 422)["errors"][0]["field"] == "display_name"
    joined = await post_form(
        client, "/practice/join", {"code": made.json()["join_code"], "display_name": "A\x00na"}
    )
    assert problem(joined, 422)["errors"][0]["field"] == "display_name"
    for path in (f"/v1/sessions/{session_id}%00", "/v1/learners/a%00b/progress", "/v1/learners/a%00b"):
        method = "DELETE" if path.endswith("a%00b") else "GET"
        body = problem(await client.request(method, path, headers=auth), 422)
        assert body["errors"][0]["field"] == "path"
    listed = await client.get("/v1/sessions", params={"learner_id": "a\x00b"}, headers=auth)
    assert problem(listed, 422)["errors"][0]["field"] == "learner_id"


async def test_nothing_with_a_nul_was_stored(world: tuple[ApiClient, dict[str, str], str]) -> None:
    """Refused, not stored quietly (SQLite would have stored it)."""
    client, auth, _ = world
    session_id = await a_session(client, auth)
    await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": "a\x00b"}, headers=auth)
    session = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert session["turn_count"] == 0


async def test_a_scenario_in_yaml_with_a_nul_is_a_422_naming_the_field(
    world: tuple[ApiClient, dict[str, str], str],
) -> None:
    """YAML is not read at the edge (JSON and forms are): the scenario check applies the same rule,
    for the API and for the workshop's upload, and nothing is stored."""
    client, auth, key = world
    document = own_scenario()
    document["partner"]["name"] = "Ma\x00ya"
    body = yaml.safe_dump(document).encode()
    for path in ("/v1/scenarios/check", "/v1/scenarios"):
        sent = await client.post(path, content=body, headers={**auth, "Content-Type": "application/yaml"})
        problem(sent, 422)
        assert sent.json()["errors"][0]["field"] == "partner.name", sent.text
        assert "control characters" in sent.text
    signed = await post_form(client, "/workshop/login", {"key": key}, follow_redirects=False)
    assert signed.status_code == 303
    uploaded = await client.post(
        "/workshop/scenarios",
        files={"scenario": ("own.yaml", body, "application/yaml")},
        follow_redirects=False,
    )
    assert uploaded.status_code == 422 and "partner.name" in uploaded.text, uploaded.text
    listed = (await client.get("/v1/scenarios", headers=auth)).json()
    assert document["id"] not in str(listed)


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        base64.urlsafe_b64encode(b"2020-01-01T00:00:00|abc").decode(),  # no time zone
        base64.urlsafe_b64encode(b"2020-01-01T00:00:00+00:00|a\x00b").decode(),  # a NUL in the id
        base64.urlsafe_b64encode(b"0001-01-01T00:00:00+14:00|abc").decode(),  # before year 1 in UTC
        base64.urlsafe_b64encode(b"9999-12-31T23:59:59-14:00|abc").decode(),  # after year 9999 in UTC
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
async def test_a_malformed_cursor_is_a_422(world: tuple[ApiClient, dict[str, str], str], cursor: str) -> None:
    client, auth, _ = world
    await a_session(client, auth)
    response = await client.get(
        "/v1/sessions", params={"learner_id": "learner-1", "cursor": cursor}, headers=auth
    )
    assert problem(response, 422)["errors"][0]["field"] == "cursor"


async def test_a_nul_in_the_sign_in_key_is_a_422(world: tuple[ApiClient, dict[str, str], str]) -> None:
    client, _, key = world
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = problem(
        await client.post("/workshop/login", content=f"key={key[:8]}%00{key[9:]}".encode(), headers=form), 422
    )
    assert body["errors"][0]["field"] == "key"


async def test_the_workshop_form_with_one_scenario_ticked_makes_the_cohort(
    world: tuple[ApiClient, dict[str, str], str],
) -> None:
    client, auth, key = world
    signed = await post_form(client, "/workshop/login", {"key": key}, follow_redirects=False)
    assert signed.status_code == 303
    made = await client.post(
        "/workshop/cohorts", data={"name": "Just one", "scenarios": "test-partner"}, follow_redirects=False
    )
    assert made.status_code == 303, made.text
    listed = (await client.get("/v1/cohorts", headers=auth)).json()["items"]
    assert [(c["name"], c["scenarios"]) for c in listed] == [("Just one", ["test-partner"])]


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger", "/schema/openapi.json"])
async def test_the_docs_pages_send_a_content_security_policy(
    world: tuple[ApiClient, dict[str, str], str], path: str
) -> None:
    client, _, _ = world
    response = await client.get(path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
