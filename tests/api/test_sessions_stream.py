"""POST /v1/sessions/{id}/turns/stream: partner words, then grade, state and done; stored regardless."""

from __future__ import annotations

import json
from typing import Any

import httpx
from litestar import Litestar

from tests.api.sessions_support import (  # noqa: F401 (fixtures)
    SCENARIO,
    HeldVoice,
    content_library,
    database_settings,
    live_server,
    start,
    use_voice,
)
from tests.conftest import ApiClient
from trainer.content.library import ContentLibrary
from trainer.sessions.service import TurnTasks


def events_of(text: str) -> list[tuple[str, Any]]:
    found = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            found.append((lines["event"], json.loads(lines["data"])))
    return found


async def test_a_streamed_turn_matches_the_stored_turn(client: ApiClient, auth: dict[str, str]) -> None:
    session_id = (await start(client, auth))["id"]
    body = {"reply": "It sounds like you feel guilty for wanting to say no to Kate."}
    response = await client.post(f"/v1/sessions/{session_id}/turns/stream", json=body, headers=auth)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = events_of(response.text)
    names = [name for name, _ in events]
    # Words that come faster than they can be sent go out together, so how many partner events
    # there are depends on timing; that the first word goes out alone is tested below.
    assert names[-3:] == ["grade", "state", "done"] and set(names[:-3]) == {"partner"}
    stored = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    turn = stored["turns"][0]
    assert "".join(data["text"] for name, data in events if name == "partner") == turn["partner"]["text"]
    assert events[-3][1] == turn["grade"]
    assert events[-2][1] == {"index": 0, "status": stored["status"], "state": stored["state"]}
    assert events[-1][1] == {"index": 0}


async def test_the_first_word_is_sent_before_the_partner_has_finished(
    app: Litestar, live: httpx.AsyncClient, api_key: str, library: ContentLibrary
) -> None:
    auth = {"Authorization": f"Bearer {api_key}"}
    created = await live.post(
        "/v1/sessions", json={"scenario_id": SCENARIO, "learner_id": "early"}, headers=auth
    )
    session_id = created.json()["id"]
    voice = HeldVoice()
    use_voice(app, library, voice)
    url = f"/v1/sessions/{session_id}/turns/stream"
    received = ""
    async with live.stream("POST", url, json={"reply": "So Kate is asking again."}, headers=auth) as response:
        async for chunk in response.aiter_text():
            if not voice.release.is_set() and "event: partner" in received + chunk:
                voice.release.set()  # the client holds the first word while the partner is mid-line
            received += chunk
    events = events_of(received)
    partner_words = [data["text"] for name, data in events if name == "partner"]
    assert len(partner_words) >= 2 and " " not in partner_words[0].strip()
    stored = (await live.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert "".join(partner_words) == stored["turns"][0]["partner"]["text"]


async def test_a_streamed_retry_with_the_same_key_replays(client: ApiClient, auth: dict[str, str]) -> None:
    session_id = (await start(client, auth))["id"]
    headers = {**auth, "Idempotency-Key": "stream-1"}
    url = f"/v1/sessions/{session_id}/turns/stream"
    first = await client.post(url, json={"reply": "You're torn."}, headers=headers)
    again = await client.post(url, json={"reply": "You're torn."}, headers=headers)
    assert again.headers["idempotent-replayed"] == "true"
    first_events, replayed = events_of(first.text), events_of(again.text)
    assert replayed[1:] == first_events[-3:]
    assert replayed[0] == ("partner", {"text": "".join(d["text"] for n, d in first_events if n == "partner")})
    stored = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert stored["turn_count"] == 1


async def test_errors_before_the_stream_are_problems(client: ApiClient, auth: dict[str, str]) -> None:
    missing = await client.post("/v1/sessions/nope/turns/stream", json={"reply": "Hi"}, headers=auth)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(
        "application/problem+json"
    )
    session_id = (await start(client, auth))["id"]
    blank = await client.post(f"/v1/sessions/{session_id}/turns/stream", json={"reply": " "}, headers=auth)
    assert blank.status_code == 422


async def test_a_client_that_hangs_up_mid_stream_still_gets_its_turn_stored(
    app: Litestar, live: httpx.AsyncClient, api_key: str, library: ContentLibrary
) -> None:
    auth = {"Authorization": f"Bearer {api_key}"}
    created = await live.post(
        "/v1/sessions", json={"scenario_id": SCENARIO, "learner_id": "leaver"}, headers=auth
    )
    session_id = created.json()["id"]
    voice = HeldVoice()
    use_voice(app, library, voice)
    url = f"/v1/sessions/{session_id}/turns/stream"
    async with live.stream("POST", url, json={"reply": "So Kate is asking again."}, headers=auth) as response:
        async for chunk in response.aiter_text():
            if "event: partner" in chunk:
                break  # hang up after the first word
    await voice.first_word_out.wait()
    before = (await live.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert before["turn_count"] == 0  # the partner is still mid-line
    voice.release.set()
    tasks: TurnTasks = app.state.turn_tasks
    await tasks.drain()
    after = (await live.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert after["turn_count"] == 1 and after["turns"][0]["reply"] == "So Kate is asking again."
    assert after["turns"][0]["partner"]["text"].count(" ") >= 1
