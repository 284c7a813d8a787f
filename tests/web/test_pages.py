"""The web routes in process: security headers, pass cookies, expiry, and who may see what."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar import Litestar

from tests.conftest import ApiClient, issue_key
from tests.web.forms import post_form
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.store.tables import Role

SCENARIO = "asks-for-advice"


@pytest.fixture
def library() -> ContentLibrary:
    return ContentLibrary.load(Settings())


@pytest.fixture
async def facilitator_key(app: Litestar, settings: Settings) -> str:
    return await issue_key(settings, name="facilitator", role=Role.facilitator, tenant="school")


async def new_cohort(client: ApiClient, key: str) -> dict[str, Any]:
    response = await client.post(
        "/v1/cohorts",
        json={"name": "Room", "scenarios": [SCENARIO]},
        headers={"Authorization": f"Bearer {key}"},
    )
    body: dict[str, Any] = response.json()
    return body


async def joined(client: ApiClient, code: str, name: str = "Ana") -> dict[str, str]:
    """Join as a learner; the headers that carry this learner's pass (the jar is left empty)."""
    response = await post_form(
        client, "/practice/join", data={"code": code, "display_name": name}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    token = response.cookies["trainer_practice"]
    client.cookies.clear()
    return {"Cookie": f"trainer_practice={token}"}


def expire_passes(settings: Settings) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(settings.database_url.split("///", 1)[1]) as connection:
        connection.execute("UPDATE web_passes SET expires_at = ?", (past,))


async def test_web_responses_carry_the_security_headers(client: ApiClient) -> None:
    for path in (
        "/practice",
        "/workshop",
        "/web-static/practice.js",
        "/practice/api/share",
        "/workshop/nope",
    ):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
    page = (await client.get("/practice")).text
    assert "<script>" not in page and "style=" not in page and "http" not in page.split("<body", 1)[1]


async def test_the_front_door_links_practice_the_board_and_the_api_docs(client: ApiClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] and response.headers["x-frame-options"] == "DENY"
    for link in ('href="/practice"', 'href="/workshop"', 'href="/schema"'):
        assert link in response.text
    assert "<script" not in response.text and "style=" not in response.text
    missing = await client.get("/nothing-here")  # other paths keep the API's JSON 404
    assert missing.status_code == 404 and "content-security-policy" not in missing.headers


async def test_joining_sets_an_httponly_strict_cookie_scoped_to_the_page(
    client: ApiClient, facilitator_key: str
) -> None:
    cohort = await new_cohort(client, facilitator_key)
    response = await post_form(
        client,
        "/practice/join",
        data={"code": cohort["join_code"], "display_name": "Ana"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/practice" in cookie
    assert "Max-Age=14400" in cookie  # settings.web_token_minutes = 240


async def test_a_wrong_code_and_a_missing_name_are_refused_on_the_page(
    client: ApiClient, facilitator_key: str
) -> None:
    wrong = await post_form(client, "/practice/join", data={"code": "AAAA-AAAA", "display_name": "Ana"})
    assert wrong.status_code == 400 and "That join code is not right" in wrong.text
    assert "trainer_practice=" not in wrong.headers.get("set-cookie", "")
    cohort = await new_cohort(client, facilitator_key)
    nameless = await post_form(
        client, "/practice/join", data={"code": cohort["join_code"], "display_name": "  "}
    )
    assert nameless.status_code == 400 and "display name" in nameless.text


async def test_an_expired_pass_is_refused_with_a_clear_message(
    client: ApiClient, facilitator_key: str, settings: Settings
) -> None:
    cohort = await new_cohort(client, facilitator_key)
    learner = await joined(client, cohort["join_code"])
    expire_passes(settings)
    api = await client.post("/practice/api/sessions", json={"scenario_id": SCENARIO}, headers=learner)
    assert api.status_code == 401
    assert api.json()["detail"].startswith("Your practice pass has expired")
    page = await client.get("/practice", headers=learner)
    assert "Your practice pass has expired" in page.text and "Join code" in page.text
    assert "Max-Age=0" in page.headers["set-cookie"]


async def test_without_a_pass_the_api_says_to_join(client: ApiClient) -> None:
    response = await client.post("/practice/api/sessions", json={"scenario_id": SCENARIO})
    assert response.status_code == 401 and "Join with the code" in response.json()["detail"]


async def test_a_learner_reaches_only_their_own_sessions_on_the_programme(
    client: ApiClient, facilitator_key: str
) -> None:
    cohort = await new_cohort(client, facilitator_key)
    ana = await joined(client, cohort["join_code"], "Ana")
    ben = await joined(client, cohort["join_code"], "Ben")
    sessions = "/practice/api/sessions"
    off_programme = await client.post(sessions, json={"scenario_id": "good-news"}, headers=ana)
    assert off_programme.status_code == 404
    session = (await client.post(sessions, json={"scenario_id": SCENARIO}, headers=ana)).json()
    for path in ("/hint", "/report"):
        assert (await client.get(f"{sessions}/{session['id']}{path}", headers=ben)).status_code == 404
    reply = {"reply": "Tell me more."}
    stolen = await client.post(f"{sessions}/{session['id']}/turns", json=reply, headers=ben)
    assert stolen.status_code == 404
    mine = await client.post(f"{sessions}/{session['id']}/turns", json=reply, headers=ana)
    assert mine.status_code == 201 and mine.json()["turn"]["index"] == 0


async def test_the_board_needs_a_facilitator_key_and_shows_transcripts_only_when_shared(
    client: ApiClient, facilitator_key: str, api_key: str
) -> None:
    refused = await post_form(client, "/workshop/login", data={"key": api_key})
    assert refused.status_code == 403 and "app key" in refused.text
    unknown = await post_form(client, "/workshop/login", data={"key": "trn_00000000_nope"})
    assert unknown.status_code == 401
    assert (await client.get("/workshop/api/cohorts/1/progress")).status_code == 401

    cohort = await new_cohort(client, facilitator_key)
    learner = await joined(client, cohort["join_code"])
    await client.post("/practice/api/sessions", json={"scenario_id": SCENARIO}, headers=learner)
    board = await post_form(client, "/workshop/login", data={"key": facilitator_key})
    assert board.status_code == 200 and "Your cohorts" in board.text
    progress = (await client.get(f"/workshop/api/cohorts/{cohort['id']}/progress")).json()
    member = progress["learners"][0]["member_id"]
    path = f"/workshop/api/cohorts/{cohort['id']}/members/{member}/transcript"
    hidden = await client.get(path)
    assert hidden.status_code == 404 and "not shared" in hidden.json()["detail"]
    shared = await client.post("/practice/api/share", json={"share": True}, headers=learner)
    assert shared.json() == {"share": True}
    shown = await client.get(path)
    assert shown.status_code == 200 and shown.json()["messages"][0]["role"] == "partner"
    assert "big" in (await client.get(f"/workshop/cohorts/{cohort['id']}?big=1")).text
