"""/v1/sessions end to end, on SQLite and PostgreSQL: start, reply, retry, race, finish, read back."""

from __future__ import annotations

import asyncio

import httpx
from litestar import Litestar

from tests.api.sessions_support import (  # noqa: F401 (fixtures)
    SCENARIO,
    GatedVoice,
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
from trainer.settings import Settings


async def test_a_new_session_opens_with_the_partner(client: ApiClient, auth: dict[str, str]) -> None:
    body = await start(client, auth, learner="ana")
    assert body["scenario_id"] == SCENARIO and body["learner_id"] == "ana"
    assert body["status"] == "active" and body["turn_count"] == 0
    assert body["partner"] == {"name": "Omar"}
    assert [m["role"] for m in body["messages"]] == ["partner"] and body["messages"][0]["text"]
    assert body["state"]["stage"] == "sharing" and 0 <= body["state"]["safety"] <= 100


async def test_an_unknown_scenario_or_a_blank_learner_is_a_problem(
    client: ApiClient, auth: dict[str, str]
) -> None:
    missing = await client.post("/v1/sessions", json={"scenario_id": "nope", "learner_id": "a"}, headers=auth)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert "nope" in missing.json()["detail"]
    blank = await client.post(
        "/v1/sessions", json={"scenario_id": SCENARIO, "learner_id": "  "}, headers=auth
    )
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "learner_id"


async def test_following_the_hints_completes_the_session(client: ApiClient, auth: dict[str, str]) -> None:
    session_id = (await start(client, auth))["id"]
    statuses = []
    for index in range(14):
        reply = await hint(client, auth, session_id)
        response = await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": reply}, headers=auth)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["turn"]["index"] == index and body["turn"]["reply"] == reply
        assert set(body["turn"]["grade"]["rubrics"]) == {
            "reflection",
            "validation",
            "not_fixing",
            "open_questions",
            "partner_focus",
        }
        assert body["turn"]["grade"]["engine"] == "rules" and body["turn"]["partner"]["text"]
        statuses.append(body["session"]["status"])
        if body["session"]["status"] != "active":
            break
    assert statuses[-1] == "completed" and body["session"]["state"]["stage"] == "done"

    detail = (await client.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert detail["status"] == "completed" and detail["turn_count"] == len(statuses)
    assert [t["index"] for t in detail["turns"]] == list(range(len(statuses)))
    assert len(detail["messages"]) == 1 + 2 * len(statuses)
    assert detail["messages"][-1] == {"role": "partner", "text": detail["turns"][-1]["partner"]["text"]}

    late = await client.post(
        f"/v1/sessions/{session_id}/turns", json={"reply": "One more thing."}, headers=auth
    )
    assert late.status_code == 409 and "new session" in late.json()["detail"]

    report = (await client.get(f"/v1/sessions/{session_id}/report", headers=auth)).json()
    assert report["status"] == "completed" and report["turn_count"] == len(statuses)
    reflection = report["rubrics"]["reflection"]
    # Each rubric counts the turns where the moment called for it, not every turn.
    assert 0 < len(reflection["scores"]) == reflection["count"] < len(statuses)
    assert reflection["first"] == reflection["scores"][0] and reflection["last"] == reflection["scores"][-1]
    assert report["went_well"][0].startswith("The partner felt understood")
    assert report["hurts"] == []
    assert report["practise_next"] is None or report["practise_next"]["mean"] < 3


async def test_a_retry_with_the_same_key_replays_the_turn(
    client: ApiClient, auth: dict[str, str], settings: Settings
) -> None:
    session_id = (await start(client, auth))["id"]
    headers = {**auth, "Idempotency-Key": "reply-1"}
    body = {"reply": "So Kate wants to borrow money again and the old loan is still unpaid?"}
    first = await client.post(f"/v1/sessions/{session_id}/turns", json=body, headers=headers)
    counts = await row_counts(settings)
    again = await client.post(f"/v1/sessions/{session_id}/turns", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await row_counts(settings) == counts and counts["turns"] == 1

    other = await client.post(
        f"/v1/sessions/{session_id}/turns", json={"reply": "Something else"}, headers=headers
    )
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    assert await row_counts(settings) == counts


async def test_a_reply_must_have_1_to_2000_characters(client: ApiClient, auth: dict[str, str]) -> None:
    session_id = (await start(client, auth))["id"]
    for reply in ("   ", "x" * 2001):
        response = await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": reply}, headers=auth)
        assert response.status_code == 422, reply[:5]
        assert response.json()["errors"][0]["field"] == "reply"
    padded = await client.post(
        f"/v1/sessions/{session_id}/turns", json={"reply": "  x" + " " * 2000}, headers=auth
    )
    assert padded.status_code == 201 and padded.json()["turn"]["reply"] == "x"


async def test_two_replies_at_once_store_one_turn_and_the_loser_may_retry(
    app: Litestar, live: httpx.AsyncClient, api_key: str, library: ContentLibrary
) -> None:
    auth = {"Authorization": f"Bearer {api_key}"}
    created = await live.post(
        "/v1/sessions", json={"scenario_id": SCENARIO, "learner_id": "racer"}, headers=auth
    )
    session_id = created.json()["id"]
    use_voice(app, library, GatedVoice(arrivals=2))
    url = f"/v1/sessions/{session_id}/turns"
    responses = await asyncio.gather(
        live.post(url, json={"reply": "You feel torn about Kate's loan."}, headers=auth),
        live.post(url, json={"reply": "So you want to say no to Kate?"}, headers=auth),
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    loser = next(r for r in responses if r.status_code == 409).json()
    assert "retry" in loser["detail"]
    detail = (await live.get(f"/v1/sessions/{session_id}", headers=auth)).json()
    assert [t["index"] for t in detail["turns"]] == [0] and detail["turn_count"] == 1
    winner = next(r for r in responses if r.status_code == 201).json()
    assert detail["state"] == winner["session"]["state"]
    assert detail["turns"][0]["reply"] == winner["turn"]["reply"]

    use_voice(app, library, GatedVoice(arrivals=1))
    retried = await live.post(url, json={"reply": "So you want to say no to Kate?"}, headers=auth)
    assert retried.status_code == 201 and retried.json()["turn"]["index"] == 1


async def test_another_tenants_session_is_not_found(
    client: ApiClient, auth: dict[str, str], settings: Settings
) -> None:
    session_id = (await start(client, auth, learner="shared-id"))["id"]
    other = {"Authorization": f"Bearer {await issue_key(settings, name='other', tenant='elsewhere')}"}
    for path in ("", "/report", "/hint"):
        response = await client.get(f"/v1/sessions/{session_id}{path}", headers=other)
        assert response.status_code == 404, path
    posted = await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": "Hello"}, headers=other)
    assert posted.status_code == 404
    listed = await client.get("/v1/sessions", params={"learner_id": "shared-id"}, headers=other)
    assert listed.json() == {"items": [], "next_cursor": None}


async def test_a_learners_sessions_come_newest_first_in_pages(
    client: ApiClient, auth: dict[str, str]
) -> None:
    created = [(await start(client, auth, learner="pager"))["id"] for _ in range(3)]
    await start(client, auth, learner="someone-else")
    first = (
        await client.get("/v1/sessions", params={"learner_id": "pager", "limit": 2}, headers=auth)
    ).json()
    assert [item["id"] for item in first["items"]] == created[::-1][:2] and first["next_cursor"]
    params = {"learner_id": "pager", "limit": 2, "cursor": first["next_cursor"]}
    second = (await client.get("/v1/sessions", params=params, headers=auth)).json()
    assert [item["id"] for item in second["items"]] == [created[0]] and second["next_cursor"] is None
    bad = await client.get("/v1/sessions", params={"learner_id": "pager", "cursor": "%%%"}, headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


async def test_a_hint_is_an_exemplar_reply(
    client: ApiClient, auth: dict[str, str], library: ContentLibrary
) -> None:
    session_id = (await start(client, auth))["id"]
    reply = await hint(client, auth, session_id)
    exemplars = {
        " ".join(text.split()) for lines in library.scenario(SCENARIO).exemplars.values() for text in lines
    }
    assert reply in exemplars
    other = (await client.get(f"/v1/sessions/{session_id}/hint", params={"attempt": 1}, headers=auth)).json()
    assert other["reply"] in exemplars
