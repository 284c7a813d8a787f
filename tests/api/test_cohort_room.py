"""The room's view of a cohort: names told apart, ended conversations, the counts, the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar import Litestar

from tests.conftest import ApiClient, issue_key
from tests.web.forms import post_form
from trainer.cohorts.export import COLUMNS, progress_csv, safe_cell
from trainer.cohorts.names import shown_names
from trainer.cohorts.service import (
    CohortProgress,
    LearnerState,
    MemberProgress,
    RoomCounts,
    RoomSkill,
    state_of,
)
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.store.tables import PracticeSession, Role
from trainer.vocabulary.grades import RubricName

SCENARIO = "asks-for-advice"


@pytest.fixture
def library() -> ContentLibrary:
    return ContentLibrary.load(Settings())


@pytest.fixture
async def facilitator(app: Litestar, settings: Settings) -> dict[str, str]:
    token = await issue_key(settings, name="facilitator", role=Role.facilitator, tenant="school")
    return {"Authorization": f"Bearer {token}"}


async def new_cohort(client: ApiClient, auth: dict[str, str]) -> dict[str, Any]:
    response = await client.post("/v1/cohorts", json={"name": "Room", "scenarios": [SCENARIO]}, headers=auth)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def joined(client: ApiClient, code: str, name: str) -> dict[str, str]:
    response = await post_form(
        client, "/practice/join", data={"code": code, "display_name": name}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    token = response.cookies["trainer_practice"]
    client.cookies.clear()
    return {"Cookie": f"trainer_practice={token}"}


def test_the_first_keeps_the_name_and_later_ones_are_numbered() -> None:
    members = [(3, "Noor"), (1, "Ana"), (7, "noor "), (9, "Ana"), (12, " NOOR")]
    assert shown_names(members) == {1: "Ana", 3: "Noor", 7: "noor  (2)", 9: "Ana (2)", 12: " NOOR (3)"}


def test_a_number_never_lands_on_a_name_someone_typed() -> None:
    shown = shown_names([(1, "Noor"), (2, "Noor (2)"), (3, "Noor")])
    assert shown == {1: "Noor", 2: "Noor (2)", 3: "Noor (3)"}
    assert len(set(shown.values())) == 3


def _session(status: str, ended: bool) -> PracticeSession:
    now = datetime.now(UTC)
    return PracticeSession(
        tenant_id=1,
        learner_id=1,
        scenario_id="s",
        status=status,
        state={"stage": "clarifying", "safety": 20},
        created_at=now,
        updated_at=now,
        ended_at=now if ended else None,
    )


def test_a_learner_who_ended_is_ended_not_stuck() -> None:
    stalled = ["clarifying"] * 4
    assert state_of(_session("active", ended=False), stalled) is LearnerState.stuck
    assert state_of(_session("active", ended=True), stalled) is LearnerState.ended
    # A conversation that finished on its own keeps its outcome.
    assert state_of(_session("completed", ended=True), stalled) is LearnerState.done
    assert state_of(_session("withdrawn", ended=True), stalled) is LearnerState.withdrawn


def test_the_room_counts_every_state_in_one_group() -> None:
    counts = RoomCounts.of([*LearnerState, LearnerState.practising])
    assert counts == RoomCounts(joined=8, waiting=1, practising=2, done=2, need_a_hand=3)


async def test_learners_with_one_name_are_told_apart_on_the_board_and_on_their_page(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    cohort = await new_cohort(client, facilitator)
    first = await joined(client, cohort["join_code"], "Noor")
    second = await joined(client, cohort["join_code"], "Noor")
    progress = (await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=facilitator)).json()
    assert [(p["display_name"], p["shown_as"]) for p in progress["learners"]] == [
        ("Noor", "Noor"),
        ("Noor", "Noor (2)"),
    ]
    page = (await client.get("/practice", headers=second)).text
    assert "you show as <strong>Noor (2)</strong>" in page and "Noor (2) · Room" in page
    assert "you show as" not in (await client.get("/practice", headers=first)).text


async def test_ending_a_conversation_shows_as_ended_and_takes_no_more_replies(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    cohort = await new_cohort(client, facilitator)
    learner = await joined(client, cohort["join_code"], "Ana")
    other = await joined(client, cohort["join_code"], "Ben")
    started = await client.post("/practice/api/sessions", json={"scenario_id": SCENARIO}, headers=learner)
    session = started.json()
    path = f"/practice/api/sessions/{session['id']}"
    assert (await client.post(f"{path}/end", headers=other)).status_code == 404
    for _ in range(5):  # the same reply again and again: the conversation stalls ("stuck")
        turn = await client.post(f"{path}/turns", json={"reply": "ok"}, headers=learner)
        assert turn.status_code == 201
    progress = (await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=facilitator)).json()
    assert progress["learners"][0]["state"] == "stuck"
    ended = await client.post(f"{path}/end", headers=learner)
    assert ended.status_code == 200 and ended.json() == {"ended": True, "status": "active"}
    assert (await client.post(f"{path}/end", headers=learner)).json() == {"ended": True, "status": "active"}
    progress = (await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=facilitator)).json()
    assert progress["learners"][0]["state"] == "ended"
    assert progress["counts"] == {"joined": 2, "waiting": 1, "practising": 0, "done": 1, "need_a_hand": 0}
    refused = await client.post(f"{path}/turns", json={"reply": "Tell me more."}, headers=learner)
    assert refused.status_code == 409 and "You ended this conversation" in refused.json()["detail"]
    report = await client.get(f"{path}/report", headers=learner)
    assert report.status_code == 200


def _progress(name: str) -> CohortProgress:
    learner = MemberProgress(
        member_id=1,
        display_name=name,
        shown_as=name,
        learner_id="web-1",
        sessions_started=2,
        sessions_completed=1,
        state=LearnerState.practising,
        scenario_id=SCENARIO,
        safety=70,
        turns=3,
        averages={RubricName.reflection: 2.5, RubricName.not_fixing: 1.0},
        shares_transcript=False,
        last_active=datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
    )
    room = [
        RoomSkill(rubric=r, mean=1.75 if r is RubricName.reflection else None, learners=1, low=0, high=0)
        for r in RubricName
    ]
    return CohortProgress(
        cohort_id=4,
        name="=Tuesday",
        scenarios=[SCENARIO],
        counts=RoomCounts.of([LearnerState.practising]),
        learners=[learner],
        room=room,
    )


def test_the_csv_has_a_row_per_learner_and_skill() -> None:
    rows = list(csv.reader(io.StringIO(progress_csv(_progress("Ana")))))
    assert tuple(rows[0]) == COLUMNS
    assert [row[8] for row in rows[1:]] == [r.value for r in RubricName]
    reflection = dict(zip(COLUMNS, rows[1], strict=True))
    assert reflection == {
        "cohort": "'=Tuesday",
        "learner": "Ana",
        "learner_id": "web-1",
        "state": "practising",
        "conversations_started": "2",
        "conversations_completed": "1",
        "latest_scenario": SCENARIO,
        "replies_in_latest": "3",
        "skill": "reflection",
        "recent_average": "2.50",
        "room_average": "1.75",
        "shares_transcript": "no",
        "last_active": "2026-12-03T10:00:00+00:00",
    }
    validation = dict(zip(COLUMNS, rows[2], strict=True))
    assert validation["recent_average"] == "" and validation["room_average"] == ""


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_name_a_spreadsheet_would_run_is_written_as_text(name: str) -> None:
    assert safe_cell(name) == "'" + name
    rows = list(csv.reader(io.StringIO(progress_csv(_progress(name)))))
    assert all(row[1] == "'" + name for row in rows[1:])


def test_ordinary_cells_are_left_alone() -> None:
    assert [safe_cell(v) for v in ("Ana", "Noor (2)", 3, None, "2026-12-03", "a=b")] == [
        "Ana", "Noor (2)", "3", "", "2026-12-03", "a=b",
    ]  # fmt: skip


async def test_the_csv_export_is_a_facilitators_download_without_reply_text(
    client: ApiClient, facilitator: dict[str, str], auth: dict[str, str], settings: Settings
) -> None:
    cohort = await new_cohort(client, facilitator)
    learner = await joined(client, cohort["join_code"], "=cmd|' /C calc'!A0")
    await client.post("/practice/api/share", json={"share": True}, headers=learner)
    started = await client.post("/practice/api/sessions", json={"scenario_id": SCENARIO}, headers=learner)
    session = started.json()
    reply = "So your sister wants another loan and that leaves you torn?"
    path = f"/practice/api/sessions/{session['id']}/turns"
    turn = await client.post(path, json={"reply": reply}, headers=learner)
    assert turn.status_code == 201

    path = f"/v1/cohorts/{cohort['id']}/progress.csv"
    response = await client.get(path, headers=facilitator)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    filename = f"cohort-{cohort['id']}-progress.csv"
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) == 1 + len(RubricName)
    assert {row[1] for row in rows[1:]} == {"'=cmd|' /C calc'!A0"}
    assert {row[11] for row in rows[1:]} == {"yes"}
    assert reply not in response.text and session["messages"][0]["text"] not in response.text

    assert (await client.get(path, headers=auth)).status_code == 403  # an app key
    colleague = await issue_key(settings, name="colleague", role=Role.facilitator, tenant="school")
    assert (await client.get(path, headers={"Authorization": f"Bearer {colleague}"})).status_code == 404
    assert (await client.get(path)).status_code == 401
    # The board's download: the facilitator's pass instead of the key.
    assert (await client.get(f"/workshop/api/cohorts/{cohort['id']}/progress.csv")).status_code == 401
    await post_form(
        client, "/workshop/login", data={"key": facilitator["Authorization"].removeprefix("Bearer ")}
    )
    board = await client.get(f"/workshop/api/cohorts/{cohort['id']}/progress.csv")
    assert board.status_code == 200 and board.text == response.text


async def test_the_csv_export_is_in_the_api_documentation(client: ApiClient) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    operation = document["paths"]["/v1/cohorts/{cohort_id}/progress.csv"]["get"]
    assert list(operation["responses"]["200"]["content"]) == ["text/csv; charset=utf-8"]
    assert all(column in operation["description"] for column in COLUMNS)
    assert operation["security"] == [{"BearerKey": []}] and "404" in operation["responses"]
