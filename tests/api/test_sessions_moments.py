"""/v1/sessions and the moments of the exercise: applicable flags, the notice of an unreadable reply,
and a report that names what hurt."""

from __future__ import annotations

from typing import Any

from tests.api.sessions_support import (  # noqa: F401 (fixtures)
    content_library,
    database_settings,
    start,
)
from tests.conftest import ApiClient


async def post(client: ApiClient, auth: dict[str, str], session_id: str, text: str) -> dict[str, Any]:
    response = await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": text}, headers=auth)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_each_score_says_whether_the_moment_called_for_it(
    client: ApiClient, auth: dict[str, str]
) -> None:
    session = await start(client, auth)
    body = await post(client, auth, session["id"], "What was the hardest part of it for you?")
    rubrics = body["turn"]["grade"]["rubrics"]
    assert {name for name, score in rubrics.items() if score["applicable"]} == {
        "open_questions",
        "not_fixing",
        "partner_focus",
    }
    assert body["turn"]["notice"] is None


async def test_an_unreadable_reply_carries_a_notice_and_does_not_move_the_partner(
    client: ApiClient, auth: dict[str, str]
) -> None:
    session = await start(client, auth)
    before = session["state"]
    body = await post(
        client, auth, session["id"], "Te sientes dividida porque tu hermana quiere dinero otra vez."
    )
    assert "English" in body["turn"]["notice"]
    assert not any(score["applicable"] for score in body["turn"]["grade"]["rubrics"].values())
    after = body["session"]["state"]
    assert (after["stage"], after["safety"]) == (before["stage"], before["safety"])
    assert after["replies_left"] == session["max_turns"] - 1  # the reply still counts towards the limit
    read_back = (await client.get(f"/v1/sessions/{session['id']}", headers=auth)).json()
    assert "English" in read_back["turns"][0]["notice"]


async def test_the_report_names_a_dismissal_with_an_example(client: ApiClient, auth: dict[str, str]) -> None:
    session = await start(client, auth)
    await post(client, auth, session["id"], "Honestly, you are overreacting. It is only money.")
    report = (await client.get(f"/v1/sessions/{session['id']}/report", headers=auth)).json()
    assert report["hurts"][0]["code"] == "invalidation"
    assert report["hurts"][0]["example"] == "Honestly, you are overreacting. It is only money."
    assert not any(line.startswith("Not fixing") for line in report["went_well"])
    assert report["practise_next"]["rubric"] == "validation"
    assert report["rubrics"]["validation"]["count"] == 1
