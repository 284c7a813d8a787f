"""POST /v1/sessions/{id}/rewind, on SQLite and PostgreSQL: the state comes back exactly as stored,
the rewound turns stay as an earlier attempt, the retry is compared in the report, keys and races."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx
from litestar import Litestar
from sqlalchemy import select
from sqlmodel import col

from tests.api.sessions_support import (  # noqa: F401 (fixtures)
    content_library,
    database_settings,
    hint,
    live_server,
    row_counts,
    start,
    use_voice,
)
from tests.conftest import ApiClient, issue_key
from trainer.content.library import ContentLibrary
from trainer.content.scenario import Scenario
from trainer.partner.scripted_partner import ScriptedPartner
from trainer.partner.voice import PartnerCue
from trainer.settings import Settings
from trainer.store.db import create_engine
from trainer.store.tables import PracticeSession
from trainer.vocabulary.messages import Message
from trainer.vocabulary.seams import Usage

HOSTILE = "Honestly you are overreacting, just get over it."


async def stored(settings: Settings, session_id: str) -> tuple[dict[str, Any], str, int]:
    """The session's whole stored partner state, its status and its version, read from the table."""
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            query = select(
                col(PracticeSession.state), col(PracticeSession.status), col(PracticeSession.version)
            ).where(col(PracticeSession.id) == session_id)
            row = (await connection.execute(query)).one()
            return dict(row[0]), str(row[1]), int(row[2])
    finally:
        await engine.dispose()


async def reply(client: ApiClient, auth: dict[str, str], session_id: str, text: str) -> dict[str, Any]:
    response = await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": text}, headers=auth)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def rewind(
    client: ApiClient, auth: dict[str, str], session_id: str, to: int, key: str | None = None
) -> httpx.Response:
    headers = {**auth, "Idempotency-Key": key} if key else auth
    return await client.post(f"/v1/sessions/{session_id}/rewind", json={"to": to}, headers=headers)


async def test_a_rewind_restores_the_stored_state_exactly_and_keeps_the_rewound_turns(
    client: ApiClient, auth: dict[str, str], settings: Settings
) -> None:
    session_id = (await start(client, auth))["id"]
    states = [(await stored(settings, session_id))[0]]
    for hostile in (False, True, False):
        text = HOSTILE if hostile else await hint(client, auth, session_id)
        await reply(client, auth, session_id, text)
        states.append((await stored(settings, session_id))[0])
    assert states[1] != states[2]  # each turn moved the partner

    response = await rewind(client, auth, session_id, 1)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["to"] == 1 and body["attempt"] == 2 and body["superseded"] == [1, 2]
    state, status, _ = await stored(settings, session_id)
    assert state == states[1] and status == "active"
    assert body["session"]["state"] == {
        "stage": state["stage"],
        "safety": state["safety"],
        "replies_left": state["replies_left"],
    }

    detail = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert detail["attempts"] == 2 and detail["turn_count"] == 3
    assert [(t["index"], t["attempt"], t["position"], t["superseded"]) for t in detail["turns"]] == [
        (0, 1, 0, False),
        (1, 1, 1, True),
        (2, 1, 2, True),
    ]
    assert detail["turns"][1]["reply"] == HOSTILE  # the earlier attempt stays readable
    said = [m["text"] for m in detail["messages"]]
    assert len(said) == 3 and HOSTILE not in said  # the live conversation: opening and turn 0

    retry = await reply(client, auth, session_id, await hint(client, auth, session_id))
    assert (retry["turn"]["index"], retry["turn"]["attempt"], retry["turn"]["position"]) == (3, 2, 1)
    detail = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert len(detail["messages"]) == 5 and HOSTILE not in [m["text"] for m in detail["messages"]]

    report = (await client.get(f"/v1/sessions/{session_id}/report", headers=auth)).json()
    assert report["turn_count"] == 4  # the first try counts too
    assert len(report["rubrics"]["reflection"]["scores"]) == 4
    [compared] = report["retries"]
    assert (compared["position"], compared["first_index"], compared["retry_index"]) == (1, 1, 3)
    turns = {t["index"]: t for t in detail["turns"]}
    for name, change in compared["rubrics"].items():
        first = turns[1]["grade"]["rubrics"][name]["score"]
        again = turns[3]["grade"]["rubrics"][name]["score"]
        assert change == {"first": first, "retry": again, "change": again - first}
    assert compared["better"] and compared["summary"].startswith("The retry did better")

    to_start = await rewind(client, auth, session_id, 0)
    assert to_start.status_code == 200 and to_start.json()["superseded"] == [0, 3]
    assert (await stored(settings, session_id))[0] == states[0]
    detail = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert detail["attempts"] == 3 and len(detail["messages"]) == 1
    assert all(t["superseded"] for t in detail["turns"])


async def test_a_rewind_takes_back_the_lines_the_partner_said_so_a_retry_is_answered_afresh(
    client: ApiClient, auth: dict[str, str], settings: Settings
) -> None:
    """The partner's memory of its lines (no line twice) is part of the state a rewind restores:
    the taken-back line is not "said" any more, and the same reply again gets the same answer."""
    session_id = (await start(client, auth))["id"]
    await reply(client, auth, session_id, await hint(client, auth, session_id))
    before, _, _ = await stored(settings, session_id)
    question = "What worries you most about it?"
    first = await reply(client, auth, session_id, question)
    after, _, _ = await stored(settings, session_id)
    assert after["lines"][: len(before["lines"])] == before["lines"]
    taken_back = [key for key in after["lines"] if key not in before["lines"]]
    assert taken_back  # the answer was a line the partner now remembers saying
    assert after["replies_left"] == before["replies_left"] - 1

    assert (await rewind(client, auth, session_id, first["turn"]["index"])).status_code == 200
    state, _, _ = await stored(settings, session_id)
    assert state["lines"] == before["lines"] and state["told"] == before["told"]
    assert state["replies_left"] == before["replies_left"]

    again = await reply(client, auth, session_id, question)
    assert again["turn"]["partner"]["text"] == first["turn"]["partner"]["text"]
    assert (await stored(settings, session_id))[0]["lines"] == after["lines"]
    detail = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    said = [m["text"] for m in detail["messages"] if m["role"] == "partner"]
    assert len(said) == len(set(said)) == 3  # the live conversation repeats no line


async def test_a_session_the_partner_left_can_be_rewound_and_the_tip_says_so(
    client: ApiClient, auth: dict[str, str], settings: Settings
) -> None:
    session_id = (await start(client, auth))["id"]
    before = await stored(settings, session_id)
    turn: dict[str, Any] = {}
    for _ in range(8):
        turn = await reply(client, auth, session_id, HOSTILE)
        if turn["session"]["status"] != "active":
            break
    assert turn["session"]["status"] != "active"
    detail = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert "Try that reply again" in (detail["turns"][0]["try_again"] or "")

    assert (await rewind(client, auth, session_id, 0)).status_code == 200
    state, status, _ = await stored(settings, session_id)
    assert (state, status) == before[:2] and status == "active"
    detail = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert all(t["try_again"] is None for t in detail["turns"])  # taken back: nothing to retry
    await reply(client, auth, session_id, await hint(client, auth, session_id))


async def test_a_rewind_to_a_turn_not_in_the_live_conversation_changes_nothing(
    client: ApiClient, auth: dict[str, str], settings: Settings
) -> None:
    session_id = (await start(client, auth))["id"]
    nothing = await rewind(client, auth, session_id, 0)
    assert nothing.status_code == 422 and "none yet" in nothing.json()["detail"]
    for _ in range(2):
        await reply(client, auth, session_id, await hint(client, auth, session_id))
    assert (await rewind(client, auth, session_id, 1)).status_code == 200
    counts, before = await row_counts(settings), await stored(settings, session_id)
    for to in (1, 2, 7):  # taken back already, never taken, beyond the end
        refused = await rewind(client, auth, session_id, to)
        assert refused.status_code == 422, to
        assert "its turns: 0" in refused.json()["detail"]
    negative = await rewind(client, auth, session_id, -1)
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "to"
    for not_a_number in (False, True, "0", 0.5):  # the schema says integer: JSON false is not turn 0
        body = {"to": not_a_number}
        wrong = await client.post(f"/v1/sessions/{session_id}/rewind", json=body, headers=auth)
        assert wrong.status_code in (400, 422) and wrong.json()["errors"][0]["field"] == "to", not_a_number
    assert await row_counts(settings) == counts and await stored(settings, session_id) == before


async def test_a_rewind_with_the_same_key_is_replayed(
    client: ApiClient, auth: dict[str, str], settings: Settings
) -> None:
    session_id = (await start(client, auth))["id"]
    for _ in range(2):
        await reply(client, auth, session_id, await hint(client, auth, session_id))
    first = await rewind(client, auth, session_id, 1, key="rewind-1")
    counts, after = await row_counts(settings), await stored(settings, session_id)
    again = await rewind(client, auth, session_id, 1, key="rewind-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert await row_counts(settings) == counts and await stored(settings, session_id) == after

    other = await rewind(client, auth, session_id, 0, key="rewind-1")
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    assert await stored(settings, session_id) == after


async def test_another_tenant_cannot_rewind_a_session(
    client: ApiClient, auth: dict[str, str], settings: Settings
) -> None:
    session_id = (await start(client, auth))["id"]
    await reply(client, auth, session_id, await hint(client, auth, session_id))
    before = await stored(settings, session_id)
    other = {"Authorization": f"Bearer {await issue_key(settings, name='other', tenant='elsewhere')}"}
    assert (await rewind(client, other, session_id, 0)).status_code == 404
    assert await stored(settings, session_id) == before


class HeldSay:
    """The scripted partner, held after the turn has read the session until ``release`` is set."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        self._scripted = ScriptedPartner()

    async def speak(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> AsyncIterator[str]:
        yield await self.say(scenario, cue, history, usage)

    async def say(self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage) -> str:
        self.entered.set()
        await self.release.wait()
        return await self._scripted.say(scenario, cue, history, usage)


async def test_a_reply_that_races_a_rewind_gets_a_409(
    app: Litestar, live: httpx.AsyncClient, api_key: str, library: ContentLibrary, settings: Settings
) -> None:
    auth = {"Authorization": f"Bearer {api_key}"}
    created = await live.post(
        "/v1/sessions", json={"scenario_id": "asks-for-advice", "learner_id": "racer"}, headers=auth
    )
    session_id = created.json()["id"]
    opening = await stored(settings, session_id)
    first = await live.post(
        f"/v1/sessions/{session_id}/turns", json={"reply": "So you feel torn about Kate?"}, headers=auth
    )
    assert first.status_code == 201
    voice = HeldSay()
    use_voice(app, library, voice)
    url = f"/v1/sessions/{session_id}/turns"
    racing = asyncio.create_task(live.post(url, json={"reply": "You are worried about it."}, headers=auth))
    await asyncio.wait_for(voice.entered.wait(), 10)  # the reply has read the session
    rewound = await live.post(f"/v1/sessions/{session_id}/rewind", json={"to": 0}, headers=auth)
    voice.release.set()
    lost = await racing
    assert rewound.status_code == 200 and lost.status_code == 409
    assert "retry" in lost.json()["detail"]
    state, status, _ = await stored(settings, session_id)
    assert (state, status) == opening[:2]
    detail = (await live.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert [t["superseded"] for t in detail["turns"]] == [True] and detail["attempts"] == 2
