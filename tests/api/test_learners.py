"""/v1/learners/{id}: progress across sessions, and erasing a learner so that nothing is left."""

from __future__ import annotations

from tests.api.sessions_support import content_library, database_settings, hint, row_counts, start  # noqa: F401 (fixtures)
from tests.conftest import ApiClient, issue_key
from trainer.settings import Settings


async def reply(client: ApiClient, auth: dict[str, str], session_id: str, text: str) -> None:
    response = await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": text}, headers=auth)
    assert response.status_code == 201, response.text


async def test_progress_shows_each_rubric_over_sessions(client: ApiClient, auth: dict[str, str]) -> None:
    weak = (await start(client, auth, learner="grower"))["id"]
    for _ in range(2):
        await reply(client, auth, weak, "Honestly, you are overreacting. It is only money.")
    strong = (await start(client, auth, learner="grower"))["id"]
    for _ in range(2):
        await reply(client, auth, strong, await hint(client, auth, strong))
    await start(client, auth, learner="grower")  # not started yet: counted, no averages

    progress = (await client.get("/v1/learners/grower/progress", headers=auth)).json()
    assert progress["session_count"] == 3
    assert [s["session_id"] for s in progress["sessions"][:2]] == [weak, strong]
    assert progress["sessions"][2]["averages"] == {}
    # Reflection is what the partner's story calls for in both sessions (averages count only the
    # replies where the moment called for a rubric).
    reflection = progress["rubrics"]["reflection"]
    assert [p["session_id"] for p in reflection["points"]] == [weak, strong]
    assert reflection["recent_mean"] > reflection["earlier_mean"] and reflection["trend"] == "improving"
    assert "reflection" in progress["improving"]
    assert all(progress["rubrics"][name]["trend"] == "improving" for name in progress["improving"])

    unknown = await client.get("/v1/learners/nobody/progress", headers=auth)
    assert unknown.status_code == 404


async def test_deleting_a_learner_leaves_nothing_behind(
    client: ApiClient, auth: dict[str, str], settings: Settings
) -> None:
    empty = await row_counts(settings)
    kept = (await start(client, auth, learner="stays"))["id"]
    await reply(client, auth, kept, "That sounds hard.")
    with_kept = await row_counts(settings)
    for _ in range(2):
        session_id = (await start(client, auth, learner="leaves"))["id"]
        headers = {**auth, "Idempotency-Key": f"erase-{session_id}"}
        response = await client.post(
            f"/v1/sessions/{session_id}/turns", json={"reply": "You're torn."}, headers=headers
        )
        assert response.status_code == 201
    assert (await row_counts(settings))["idempotency_keys"] == 2

    other = {"Authorization": f"Bearer {await issue_key(settings, name='other', tenant='elsewhere')}"}
    assert (await client.delete("/v1/learners/leaves", headers=other)).status_code == 404

    deleted = await client.delete("/v1/learners/leaves", headers=auth)
    assert deleted.status_code == 204 and deleted.content == b""
    after = await row_counts(settings)
    assert after == {**with_kept, "api_keys": after["api_keys"], "tenants": after["tenants"]}
    assert after["turns"] == 1 and after["learners"] == 1 and empty["turns"] == 0
    again = await client.delete("/v1/learners/leaves", headers=auth)
    assert again.status_code == 404 and again.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(f"/v1/sessions/{kept}", headers=auth)).status_code == 200
