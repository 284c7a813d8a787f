"""The safety screen on the practice page's calls, in process: a paused conversation resumes, and
one the learner ended while paused stays ended."""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient, issue_key
from tests.web.test_pages import SCENARIO, joined, library, new_cohort  # noqa: F401 (fixture)
from trainer.settings import Settings
from trainer.store.tables import Role

RISK = "honestly i dont want to be here anymore, i want to kill myself"
GOOD = "It sounds like that really hurt."
SESSIONS = "/practice/api/sessions"


@pytest.fixture
async def learner(client: ApiClient, settings: Settings) -> dict[str, str]:
    key = await issue_key(settings, name="facilitator", role=Role.facilitator, tenant="school")
    cohort = await new_cohort(client, key)
    return await joined(client, cohort["join_code"])


async def _paused(client: ApiClient, learner: dict[str, str]) -> str:
    session = (await client.post(SESSIONS, json={"scenario_id": SCENARIO}, headers=learner)).json()
    turn = await client.post(f"{SESSIONS}/{session['id']}/turns", json={"reply": RISK}, headers=learner)
    assert turn.status_code == 201, turn.text
    assert turn.json()["session"]["status"] == "paused" and turn.json()["turn"]["screen"]
    session_id: str = session["id"]
    return session_id


async def test_carry_on_resumes_a_paused_conversation(client: ApiClient, learner: dict[str, str]) -> None:
    session_id = await _paused(client, learner)
    refused = await client.post(f"{SESSIONS}/{session_id}/turns", json={"reply": GOOD}, headers=learner)
    assert refused.status_code == 409
    resumed = await client.post(f"{SESSIONS}/{session_id}/resume", headers=learner)
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "active"
    again = await client.post(f"{SESSIONS}/{session_id}/turns", json={"reply": GOOD}, headers=learner)
    assert again.status_code == 201


async def test_a_conversation_ended_while_paused_is_not_resumed_or_rewound(
    client: ApiClient, learner: dict[str, str]
) -> None:
    session_id = await _paused(client, learner)
    ended = await client.post(f"{SESSIONS}/{session_id}/end", headers=learner)
    assert ended.status_code == 200 and ended.json()["ended"] is True
    for path, body in (("resume", None), ("rewind", {"to": 0})):
        response = await client.post(f"{SESSIONS}/{session_id}/{path}", json=body, headers=learner)
        assert response.status_code == 409, (path, response.text)
        assert "ended" in response.json()["detail"]
