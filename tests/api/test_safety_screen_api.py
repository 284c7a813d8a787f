"""The safety screen over HTTP: a reply that signals risk pauses the role-play, everywhere."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from litestar import Litestar

from tests.api.sessions_support import (  # noqa: F401 (fixtures)
    content_library,
    database_settings,
    start,
    use_voice,
)
from tests.api.test_sessions_stream import events_of
from tests.conftest import ApiClient
from trainer.content.library import ContentLibrary
from trainer.content.scenario import Scenario
from trainer.partner.voice import PartnerCue
from trainer.vocabulary.messages import Message
from trainer.vocabulary.seams import Usage

RISK = "honestly i dont want to be here anymore, i want to kill myself"
GOOD = "It sounds like you feel guilty for wanting to say no to Kate."


async def _turn(client: ApiClient, auth: dict[str, str], session_id: str, reply: str) -> Any:
    return await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": reply}, headers=auth)


async def test_a_risky_reply_pauses_with_help_and_no_grade(client: ApiClient, auth: dict[str, str]) -> None:
    session_id = (await start(client, auth))["id"]
    response = await _turn(client, auth, session_id, RISK)
    assert response.status_code == 201, response.text
    body = response.json()
    turn = body["turn"]
    assert turn["grade"] is None and turn["partner"]["text"] == ""
    assert turn["screen"]["category"] == "self_harm"
    assert turn["screen"]["message"] and turn["screen"]["resources"]
    assert "emergency" in turn["screen"]["resources"][0]["contact"].lower()
    assert body["session"]["status"] == "paused"


async def test_a_reply_while_paused_is_a_409_that_says_to_resume(
    client: ApiClient, auth: dict[str, str]
) -> None:
    session_id = (await start(client, auth))["id"]
    await _turn(client, auth, session_id, RISK)
    response = await _turn(client, auth, session_id, GOOD)
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert f"/v1/sessions/{session_id}/resume" in response.json()["detail"]


async def test_resume_makes_the_session_active_again(client: ApiClient, auth: dict[str, str]) -> None:
    opened = await start(client, auth)
    session_id = opened["id"]
    await _turn(client, auth, session_id, RISK)
    resumed = await client.post(f"/v1/sessions/{session_id}/resume", headers=auth)
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "active"
    assert resumed.json()["state"] == opened["state"]  # the partner as it was
    again = await _turn(client, auth, session_id, GOOD)
    assert again.status_code == 201 and again.json()["turn"]["grade"] is not None
    assert again.json()["turn"]["index"] == 1
    detail = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert [t["screen"] is not None for t in detail["turns"]] == [True, False]


async def test_resume_of_a_session_that_is_not_paused_is_a_409(
    client: ApiClient, auth: dict[str, str]
) -> None:
    session_id = (await start(client, auth))["id"]
    response = await client.post(f"/v1/sessions/{session_id}/resume", headers=auth)
    assert response.status_code == 409


async def test_a_streamed_risky_reply_sends_a_screen_event(client: ApiClient, auth: dict[str, str]) -> None:
    session_id = (await start(client, auth))["id"]
    url = f"/v1/sessions/{session_id}/turns/stream"
    response = await client.post(url, json={"reply": RISK}, headers=auth)
    assert response.status_code == 200
    events = events_of(response.text)
    names = [name for name, _ in events]
    assert names == ["screen", "state", "done"]
    assert events[0][1]["category"] == "self_harm" and events[0][1]["resources"]
    assert events[1][1]["status"] == "paused"


async def test_grade_returns_the_screen_at_the_top_level(client: ApiClient, auth: dict[str, str]) -> None:
    body = {"partner": "I had an awful day at work.", "reply": "when I say that he hits me"}
    response = await client.post("/v1/grade", json=body, headers=auth)
    assert response.status_code == 200
    graded = response.json()
    assert set(graded) == {"screen"}
    assert graded["screen"]["category"] == "abuse" and graded["screen"]["resources"]


async def test_grade_of_an_idiom_is_a_grade(client: ApiClient, auth: dict[str, str]) -> None:
    body = {"partner": "I had an awful day at work.", "reply": "Sounds like that deadline is killing you."}
    graded = (await client.post("/v1/grade", json=body, headers=auth)).json()
    assert "rubrics" in graded and "screen" not in graded


async def test_a_screened_reply_is_stored_but_never_logged(
    client: ApiClient, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    session_id = (await start(client, auth))["id"]
    await _turn(client, auth, session_id, RISK)
    detail = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert detail["turns"][0]["reply"] == RISK
    assert "kill myself" not in caplog.text


class _SlipsMidLine:
    """A model partner whose line went wrong after its first words: it says so in ``usage.replaced``."""

    async def speak(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> AsyncIterator[str]:
        usage.engine = "llm"
        yield "I just wanted you to listen for once, "
        usage.replaced = "break_character"

    async def say(self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage) -> str:
        raise AssertionError("a streamed turn speaks")


async def test_a_partner_line_replaced_mid_stream_comes_again_whole(
    app: Litestar, library: ContentLibrary, client: ApiClient, auth: dict[str, str]
) -> None:
    use_voice(app, library, _SlipsMidLine())
    session_id = (await start(client, auth))["id"]
    url = f"/v1/sessions/{session_id}/turns/stream"
    response = await client.post(url, json={"reply": GOOD}, headers=auth)
    events = events_of(response.text)
    names = [name for name, _ in events]
    assert names[0] == "partner" and "partner_replaced" in names
    replaced = dict(events)["partner_replaced"]
    assert replaced["replaced"] is True and replaced["reason"] == "break_character"
    stored = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()["turns"][0]["partner"]
    assert stored == replaced and not stored["text"].startswith("I just wanted you to listen")


async def _rewind(client: ApiClient, auth: dict[str, str], session_id: str, to: int) -> Any:
    return await client.post(f"/v1/sessions/{session_id}/rewind", json={"to": to}, headers=auth)


async def test_going_back_to_before_the_screened_reply_unpauses_the_session(
    client: ApiClient, auth: dict[str, str]
) -> None:
    """A learner who takes back the reply the screen paused on is talking again, where they were."""
    session_id = (await start(client, auth))["id"]
    first = (await _turn(client, auth, session_id, GOOD)).json()
    assert (await _turn(client, auth, session_id, RISK)).json()["session"]["status"] == "paused"

    response = await _rewind(client, auth, session_id, 1)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["superseded"] == [1]
    assert body["session"] == first["session"]  # active, the partner as after the first reply

    again = await _turn(client, auth, session_id, GOOD)
    assert again.status_code == 201 and again.json()["turn"]["grade"] is not None
    detail = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert detail["status"] == "active"
    screened = detail["turns"][1]
    assert screened["superseded"] and screened["screen"]["category"] == "self_harm"  # kept, as stored
    assert RISK not in [m["text"] for m in detail["messages"]]
    # The screened reply had no grade: it is no first try for the reply that replaced it.
    report = (await client.get(f"/v1/sessions/{session_id}/report", headers=auth)).json()
    assert report["retries"] == []


async def test_going_back_to_a_reply_after_a_resumed_pause_stays_active(
    client: ApiClient, auth: dict[str, str]
) -> None:
    """The learner had resumed before the reply they take back: the rewind does not pause again."""
    opened = await start(client, auth)
    session_id = opened["id"]
    await _turn(client, auth, session_id, RISK)
    assert (await client.post(f"/v1/sessions/{session_id}/resume", headers=auth)).status_code == 200
    await _turn(client, auth, session_id, GOOD)

    response = await _rewind(client, auth, session_id, 1)
    assert response.status_code == 200, response.text
    assert response.json()["session"]["status"] == "active"
    assert response.json()["session"]["state"] == opened["state"]
    assert (await _turn(client, auth, session_id, GOOD)).status_code == 201


async def test_the_report_counts_the_screened_reply_but_reads_only_the_graded_ones(
    client: ApiClient, auth: dict[str, str]
) -> None:
    session_id = (await start(client, auth))["id"]
    await _turn(client, auth, session_id, RISK)
    await client.post(f"/v1/sessions/{session_id}/resume", headers=auth)
    await _turn(client, auth, session_id, GOOD)
    response = await client.get(f"/v1/sessions/{session_id}/report", headers=auth)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["turn_count"] == 2
    assert all(summary["count"] <= 1 for summary in report["rubrics"].values())
    assert "kill myself" not in response.text
