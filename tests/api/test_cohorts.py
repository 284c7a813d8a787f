"""``/v1/cohorts``: roles, tenancy, join codes, learners added by the app, and progress."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from litestar import Litestar

from tests.conftest import ApiClient, issue_key
from tests.web.forms import post_form
from trainer.cohorts.service import LearnerState, normalise_code, state_of
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.store.tables import PracticeSession, Role

PROGRAMME = ["asks-for-advice", "good-news"]


@pytest.fixture
def library() -> ContentLibrary:
    """The real content: turns are graded with the real rubrics."""
    return ContentLibrary.load(Settings())


@pytest.fixture
async def facilitator(app: Litestar, settings: Settings) -> dict[str, str]:
    token = await issue_key(settings, name="facilitator", role=Role.facilitator, tenant="school")
    return {"Authorization": f"Bearer {token}"}


async def key_for(settings: Settings, name: str, role: Role, tenant: str = "school") -> dict[str, str]:
    return {"Authorization": f"Bearer {await issue_key(settings, name=name, role=role, tenant=tenant)}"}


async def create(client: ApiClient, auth: dict[str, str], name: str = "Tuesday") -> dict[str, object]:
    response = await client.post("/v1/cohorts", json={"name": name, "scenarios": PROGRAMME}, headers=auth)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def test_a_facilitator_creates_a_cohort_with_a_short_join_code(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    cohort = await create(client, facilitator)
    code = str(cohort["join_code"])
    assert len(code) == 9 and code[4] == "-"
    assert normalise_code(code) == code.replace("-", "") and "0" not in code and "O" not in code
    assert cohort["scenarios"] == PROGRAMME
    listed = (await client.get("/v1/cohorts", headers=facilitator)).json()["items"]
    assert [c["id"] for c in listed] == [cohort["id"]]


async def test_an_app_key_cannot_create_cohorts_or_read_progress(
    client: ApiClient, facilitator: dict[str, str], auth: dict[str, str]
) -> None:
    refused = await client.post("/v1/cohorts", json={"name": "x", "scenarios": PROGRAMME}, headers=auth)
    assert refused.status_code == 403
    assert "facilitator" in refused.json()["detail"]
    cohort = await create(client, facilitator)
    assert (await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=auth)).status_code == 403


async def test_another_facilitators_cohort_is_not_found(
    client: ApiClient, facilitator: dict[str, str], settings: Settings
) -> None:
    cohort = await create(client, facilitator)
    colleague = await key_for(settings, "colleague", Role.facilitator)
    stranger = await key_for(settings, "stranger", Role.facilitator, tenant="elsewhere")
    for other in (colleague, stranger):
        for path in ("", "/progress"):
            assert (await client.get(f"/v1/cohorts/{cohort['id']}{path}", headers=other)).status_code == 404
        assert (
            await client.post(f"/v1/cohorts/{cohort['id']}/revoke-code", headers=other)
        ).status_code == 404
        assert (await client.get("/v1/cohorts", headers=other)).json()["items"] == []
    admin = await key_for(settings, "admin", Role.admin)
    assert (await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=admin)).status_code == 200


async def test_an_unknown_scenario_or_an_empty_programme_is_refused(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    unknown = await client.post("/v1/cohorts", json={"name": "x", "scenarios": ["nope"]}, headers=facilitator)
    assert unknown.status_code == 404 and "nope" in unknown.json()["detail"]
    empty = await client.post("/v1/cohorts", json={"name": "x", "scenarios": []}, headers=facilitator)
    assert empty.status_code == 422


async def test_the_app_adds_its_learners_and_their_sessions_count_for_the_cohort(
    client: ApiClient, facilitator: dict[str, str], auth: dict[str, str], settings: Settings
) -> None:
    # The app key ("test-app") is in its own tenant; the cohort must be in the app's tenant.
    app_key = await key_for(settings, "school-app", Role.app)
    cohort = await create(client, facilitator)
    added = await client.post(
        f"/v1/cohorts/{cohort['id']}/learners",
        json={"learner_id": "L-7", "display_name": "Ana"},
        headers=app_key,
    )
    assert added.status_code == 201, added.text
    assert added.json()["joined_via"] == "api"
    again = await client.post(
        f"/v1/cohorts/{cohort['id']}/learners",
        json={"learner_id": "L-7", "display_name": "Ana"},
        headers=app_key,
    )
    assert again.json()["member_id"] == added.json()["member_id"]
    other_tenant = await client.post(
        f"/v1/cohorts/{cohort['id']}/learners", json={"learner_id": "L-8", "display_name": "Bo"}, headers=auth
    )
    assert other_tenant.status_code == 404

    before = (await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=facilitator)).json()
    assert before["learners"][0]["state"] == "not_started"
    session = await client.post(
        "/v1/sessions", json={"scenario_id": "asks-for-advice", "learner_id": "L-7"}, headers=app_key
    )
    turn = await client.post(
        f"/v1/sessions/{session.json()['id']}/turns",
        json={"reply": "So your sister wants another loan and that leaves you torn?"},
        headers=app_key,
    )
    assert turn.status_code == 201, turn.text
    progress = (await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=facilitator)).json()
    ana = progress["learners"][0]
    assert (ana["display_name"], ana["learner_id"], ana["sessions_started"], ana["turns"]) == (
        "Ana",
        "L-7",
        1,
        1,
    )
    assert ana["state"] in ("practising", "done", "stuck")
    assert set(ana["averages"]) == {
        "reflection",
        "validation",
        "not_fixing",
        "open_questions",
        "partner_focus",
    }
    assert ana["shares_transcript"] is False
    assert [skill["learners"] for skill in progress["room"]] == [1] * 5


async def test_a_join_code_can_be_revoked_and_a_new_one_issued(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    cohort = await create(client, facilitator)
    revoked = await client.post(f"/v1/cohorts/{cohort['id']}/revoke-code", headers=facilitator)
    assert revoked.status_code == 200 and revoked.json()["join_code"] is None
    joined = await post_form(
        client, "/practice/join", data={"code": str(cohort["join_code"]), "display_name": "Ana"}
    )
    assert joined.status_code == 400 and "has been closed" in joined.text
    fresh = await client.post(f"/v1/cohorts/{cohort['id']}/codes", headers=facilitator)
    assert fresh.status_code == 201 and fresh.json()["join_code"] not in (None, cohort["join_code"])
    code = fresh.json()["join_code"]
    assert (
        await client.delete(f"/v1/cohorts/{cohort['id']}/codes/{code}", headers=facilitator)
    ).status_code == 204
    assert (
        await client.delete(f"/v1/cohorts/{cohort['id']}/codes/{code}", headers=facilitator)
    ).status_code == 404
    assert (await client.get(f"/v1/cohorts/{cohort['id']}", headers=facilitator)).json()["join_code"] is None


def _session(status: str, stage: str, safety: int) -> PracticeSession:
    now = datetime.now(UTC)
    return PracticeSession(
        tenant_id=1,
        learner_id=1,
        scenario_id="s",
        status=status,
        state={"stage": stage, "safety": safety},
        created_at=now,
        updated_at=now,
    )


@pytest.mark.parametrize(
    ("status", "stage", "safety", "stages", "expected"),
    [
        ("completed", "done", 90, [], LearnerState.done),
        ("withdrawn", "withdrawn", 0, [], LearnerState.withdrawn),
        ("active", "clarifying", 60, ["sharing", "clarifying"], LearnerState.practising),
        ("active", "withdrawn", 40, [], LearnerState.stuck),
        ("active", "clarifying", 25, [], LearnerState.stuck),
        ("active", "clarifying", 60, ["clarifying"] * 4, LearnerState.stuck),
    ],
)
def test_a_learners_state(
    status: str, stage: str, safety: int, stages: list[str], expected: LearnerState
) -> None:
    assert state_of(_session(status, stage, safety), stages) is expected


def test_no_session_is_not_started() -> None:
    assert state_of(None, []) is LearnerState.not_started


async def test_erasing_a_learner_removes_their_cohort_membership_and_name(
    client: ApiClient, facilitator: dict[str, str], settings: Settings
) -> None:
    from tests.api.sessions_support import row_counts

    app_key = await key_for(settings, "school-app", Role.app)
    cohort = await create(client, facilitator)
    added = await client.post(
        f"/v1/cohorts/{cohort['id']}/learners",
        json={"learner_id": "L-9", "display_name": "Cy"},
        headers=app_key,
    )
    assert added.status_code == 201, added.text
    assert (await row_counts(settings))["cohort_members"] == 1
    assert (await client.delete("/v1/learners/L-9", headers=app_key)).status_code == 204
    counts = await row_counts(settings)
    assert counts["cohort_members"] == 0 and counts["learners"] == 0 and counts["cohorts"] == 1
    progress = (await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=facilitator)).json()
    assert progress["learners"] == []
