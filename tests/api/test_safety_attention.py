"""The facilitator's board and the app's progress say a learner needs attention, with no reply text."""

from __future__ import annotations

from litestar import Litestar

from tests.api.test_cohorts import create, facilitator, key_for, library  # noqa: F401 (fixtures)
from tests.conftest import ApiClient
from trainer.settings import Settings
from trainer.store.tables import Role

RISK = "sorry, off topic, but I want to kill myself"


async def test_the_board_and_progress_show_a_paused_learner_needs_attention(
    app: Litestar,
    client: ApiClient,
    facilitator: dict[str, str],  # noqa: F811
    settings: Settings,
) -> None:
    app_key = await key_for(settings, "school-app", Role.app)
    cohort = await create(client, facilitator)
    added = await client.post(
        f"/v1/cohorts/{cohort['id']}/learners",
        json={"learner_id": "L-9", "display_name": "Cai"},
        headers=app_key,
    )
    assert added.status_code == 201, added.text
    session = await client.post(
        "/v1/sessions", json={"scenario_id": "asks-for-advice", "learner_id": "L-9"}, headers=app_key
    )
    session_id = session.json()["id"]
    turn = await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": RISK}, headers=app_key)
    assert turn.json()["session"]["status"] == "paused"

    board = await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=facilitator)
    cai = board.json()["learners"][0]
    assert cai["state"] == "needs_attention" and cai["needs_attention"] is True
    assert "kill" not in board.text  # nothing of the reply itself

    progress = await client.get("/v1/learners/L-9/progress", headers=app_key)
    assert progress.status_code == 200, progress.text
    assert progress.json()["needs_attention"] is True
    listed = await client.get(f"/v1/sessions/{session_id}", headers=app_key)
    assert listed.json()["status"] == "paused"
    assert listed.json()["turns"][0]["screen"]["category"] == "self_harm"

    await client.post(f"/v1/sessions/{session_id}/resume", headers=app_key)
    board = await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=facilitator)
    assert board.json()["learners"][0]["needs_attention"] is False
    assert (await client.get("/v1/learners/L-9/progress", headers=app_key)).json()["needs_attention"] is False
