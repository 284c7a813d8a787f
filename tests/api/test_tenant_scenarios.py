"""A tenant's own scenarios: stored after the /check checks, versioned, retired, and seen by that
tenant only; sessions keep the version they started with. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from litestar import Litestar

from tests.conftest import ApiClient, issue_key
from trainer.settings import DATA_DIR, Settings
from trainer.store.tables import Role

SOURCE = DATA_DIR / "scenarios" / "never-a-priority.yaml"
OWN = "clinic-wait"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, max_body_bytes=4096, rate_limit_per_learner=0)


def own(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    document["id"] = OWN
    document.update(changes)
    return document


def renamed(name: str) -> dict[str, Any]:
    document = own()
    document["partner"]["name"] = name
    return document


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def keys(app: Litestar, settings: Settings) -> dict[str, dict[str, str]]:
    """Keys of two tenants: a clinic (facilitator, app, admin) and a school (facilitator, app)."""
    made = {
        "author": ("author", Role.facilitator, "clinic"),
        "app": ("clinic-app", Role.app, "clinic"),
        "admin": ("clinic-admin", Role.admin, "clinic"),
        "other": ("school-author", Role.facilitator, "school"),
        "other_app": ("school-app", Role.app, "school"),
    }
    return {
        label: bearer(await issue_key(settings, name=name, role=role, tenant=tenant))
        for label, (name, role, tenant) in made.items()
    }


def problems(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {item["field"]: item["message"] for item in response.json()["errors"]}


async def listed(client: ApiClient, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    response = await client.get("/v1/scenarios", headers=headers)
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in response.json()["items"]}


async def start(client: ApiClient, headers: dict[str, str], learner: str = "ana") -> Any:
    return await client.post(
        "/v1/sessions", json={"scenario_id": OWN, "learner_id": learner}, headers=headers
    )


async def test_a_stored_scenario_is_the_tenants_own_and_no_one_elses(
    client: ApiClient, keys: dict[str, dict[str, str]]
) -> None:
    created = await client.post("/v1/scenarios", json=own(), headers=keys["author"])
    assert created.status_code == 201, created.text
    assert created.json()["id"] == OWN and created.json()["version"] == 1
    assert created.json()["source"] == "tenant"
    mine = await listed(client, keys["app"])
    assert mine[OWN]["source"] == "tenant" and mine[OWN]["version"] == 1
    assert mine["test-partner"]["source"] == "builtin" and mine["test-partner"]["version"] is None
    detail = await client.get(f"/v1/scenarios/{OWN}", headers=keys["app"])
    assert detail.status_code == 200 and detail.json()["partner"]["name"] == "Maya"
    session = await start(client, keys["app"])
    assert session.status_code == 201, session.text
    assert session.json()["scenario_version"] == 1

    assert OWN not in await listed(client, keys["other"])
    for method, path, body in [
        ("GET", f"/v1/scenarios/{OWN}", None),
        ("PUT", f"/v1/scenarios/{OWN}", own()),
        ("DELETE", f"/v1/scenarios/{OWN}", None),
    ]:
        response = await client.request(method, path, json=body, headers=keys["other"])
        assert response.status_code == 404, (method, response.text)
    refused = await start(client, keys["other_app"])
    assert refused.status_code == 404 and OWN in refused.json()["detail"]
    cohort = await client.post("/v1/cohorts", json={"name": "R", "scenarios": [OWN]}, headers=keys["other"])
    assert cohort.status_code == 404, cohort.text
    # The school may have a scenario by the same id: its own, not the clinic's.
    theirs = await client.post("/v1/scenarios", json=renamed("Noor"), headers=keys["other"])
    assert theirs.status_code == 201, theirs.text
    assert (await client.get(f"/v1/scenarios/{OWN}", headers=keys["other_app"])).json()["partner"][
        "name"
    ] == "Noor"
    assert (await client.get(f"/v1/scenarios/{OWN}", headers=keys["app"])).json()["partner"]["name"] == "Maya"


async def test_yaml_is_read_with_its_content_type(client: ApiClient, keys: dict[str, dict[str, str]]) -> None:
    headers = {**keys["admin"], "Content-Type": "application/yaml"}
    created = await client.post("/v1/scenarios", content=yaml.safe_dump(own()).encode(), headers=headers)
    assert created.status_code == 201, created.text
    assert (await listed(client, keys["app"]))[OWN]["version"] == 1


async def test_only_facilitator_and_admin_keys_may_store_replace_or_retire(
    client: ApiClient, keys: dict[str, dict[str, str]]
) -> None:
    for method, path in [
        ("POST", "/v1/scenarios"),
        ("PUT", f"/v1/scenarios/{OWN}"),
        ("DELETE", f"/v1/scenarios/{OWN}"),
    ]:
        body = own() if method != "DELETE" else None
        refused = await client.request(method, path, json=body, headers=keys["app"])
        assert refused.status_code == 403, refused.text
    assert OWN not in await listed(client, keys["app"])


async def test_bad_scenarios_are_clear_422s_and_nothing_is_stored(
    client: ApiClient, keys: dict[str, dict[str, str]]
) -> None:
    async def refused(document: Any) -> dict[str, str]:
        return problems(await client.post("/v1/scenarios", json=document, headers=keys["author"]))

    unknown = own()
    unknown["partner"]["mood"] = "grumpy"
    assert (await refused(unknown))["partner.mood"] == "unknown field 'mood'"
    no_cues = own()
    no_cues["key_points"][0]["cues"] = []
    assert "key_points[0].cues" in await refused(no_cues)
    unreachable = own()
    unreachable["deeper"]["cues"] = ["zebra crossing"]
    assert "Stage 'deepening' could not be passed" in (await refused(unreachable))["(conversation: hints)"]
    assert "built-in" in (await refused(own(id="test-partner")))["id"]
    # JSON true is not the number 1, nor "12" the number 12 (each would pass its range as a number)
    flagged = own(difficulty=True, max_turns="12")
    flagged["tuning"] = {"start_safety": "50", "repairs_allowed": True, "understood_share": True}
    assert {
        "difficulty", "max_turns", "tuning.start_safety", "tuning.repairs_allowed", "tuning.understood_share"
    } <= set(await refused(flagged))
    assert "larger than" in (await refused(own(summary="x" * 70_000)))["(body)"]
    huge = await client.post("/v1/scenarios", content=b"{" + b" " * 300_000 + b"}", headers=keys["author"])
    assert huge.status_code == 413
    assert OWN not in await listed(client, keys["author"])
    assert (await start(client, keys["app"])).status_code == 404


async def test_a_duplicate_id_is_a_409_that_says_to_put_a_new_version(
    client: ApiClient, keys: dict[str, dict[str, str]]
) -> None:
    assert (await client.post("/v1/scenarios", json=own(), headers=keys["author"])).status_code == 201
    again = await client.post("/v1/scenarios", json=renamed("Sol"), headers=keys["admin"])
    assert again.status_code == 409, again.text
    assert f"PUT /v1/scenarios/{OWN}" in again.json()["detail"]
    assert (await client.get(f"/v1/scenarios/{OWN}", headers=keys["app"])).json()["partner"]["name"] == "Maya"


async def test_built_in_scenarios_cannot_be_replaced_or_retired(
    client: ApiClient, keys: dict[str, dict[str, str]]
) -> None:
    for method in ("PUT", "DELETE"):
        body = own(id="test-partner") if method == "PUT" else None
        response = await client.request(
            method, "/v1/scenarios/test-partner", json=body, headers=keys["admin"]
        )
        assert response.status_code == 409, response.text
        assert "built-in" in response.json()["detail"]
    assert (await listed(client, keys["app"]))["test-partner"]["source"] == "builtin"


async def test_a_session_keeps_its_version_after_a_put(
    client: ApiClient, keys: dict[str, dict[str, str]]
) -> None:
    assert (await client.post("/v1/scenarios", json=own(), headers=keys["author"])).status_code == 201
    first = (await start(client, keys["app"])).json()
    mismatched = await client.put(f"/v1/scenarios/{OWN}", json=own(id="clinic-other"), headers=keys["author"])
    assert problems(mismatched)["id"] == f"must be {OWN!r}, the id in the address"
    replaced = await client.put(f"/v1/scenarios/{OWN}", json=renamed("Rosa"), headers=keys["author"])
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["version"] == 2
    assert (await listed(client, keys["app"]))[OWN]["version"] == 2

    session = first["id"]
    read = (await client.get(f"/v1/sessions/{session}", headers=keys["app"])).json()
    assert read["partner"]["name"] == "Maya" and read["scenario_version"] == 1
    turn = await client.post(
        f"/v1/sessions/{session}/turns",
        json={"reply": "It sounds like you felt pushed aside."},
        headers=keys["app"],
    )
    assert turn.status_code == 201, turn.text
    assert (await client.get(f"/v1/sessions/{session}/hint", headers=keys["app"])).status_code == 200
    rewound = await client.post(f"/v1/sessions/{session}/rewind", json={"to": 0}, headers=keys["app"])
    assert rewound.status_code == 200, rewound.text
    assert (await client.get(f"/v1/sessions/{session}/report", headers=keys["app"])).status_code == 200
    assert (await client.get(f"/v1/sessions/{session}", headers=keys["app"])).json()["partner"][
        "name"
    ] == "Maya"

    second = (await start(client, keys["app"], "ben")).json()
    assert second["partner"]["name"] == "Rosa" and second["scenario_version"] == 2


async def test_a_retired_scenario_takes_no_new_sessions_but_old_ones_go_on(
    client: ApiClient, keys: dict[str, dict[str, str]]
) -> None:
    assert (await client.post("/v1/scenarios", json=own(), headers=keys["author"])).status_code == 201
    session = (await start(client, keys["app"])).json()["id"]
    assert (
        await client.put(f"/v1/scenarios/{OWN}", json=renamed("Rosa"), headers=keys["author"])
    ).status_code == 200
    retired = await client.delete(f"/v1/scenarios/{OWN}", headers=keys["author"])
    assert retired.status_code == 204, retired.text

    assert OWN not in await listed(client, keys["app"])
    assert (await client.get(f"/v1/scenarios/{OWN}", headers=keys["app"])).status_code == 404
    refused = await start(client, keys["app"], "ben")
    assert refused.status_code == 409 and "retired" in refused.json()["detail"]
    cohort = await client.post("/v1/cohorts", json={"name": "R", "scenarios": [OWN]}, headers=keys["author"])
    assert cohort.status_code == 404
    assert (await client.delete(f"/v1/scenarios/{OWN}", headers=keys["author"])).status_code == 404
    assert (await client.put(f"/v1/scenarios/{OWN}", json=own(), headers=keys["author"])).status_code == 404

    reply = {"reply": "It sounds like you felt pushed aside when I cancelled."}
    assert (
        await client.post(f"/v1/sessions/{session}/turns", json=reply, headers=keys["app"])
    ).status_code == 201
    assert (
        await client.post(f"/v1/sessions/{session}/rewind", json={"to": 0}, headers=keys["app"])
    ).status_code == 200
    assert (
        await client.post(f"/v1/sessions/{session}/turns", json=reply, headers=keys["app"])
    ).status_code == 201
    assert (await client.get(f"/v1/sessions/{session}/hint", headers=keys["app"])).status_code == 200
    report = await client.get(f"/v1/sessions/{session}/report", headers=keys["app"])
    assert report.status_code == 200 and report.json()["scenario_id"] == OWN
    read = (await client.get(f"/v1/sessions/{session}", headers=keys["app"])).json()
    assert read["partner"]["name"] == "Maya" and read["scenario_version"] == 1
    progress = await client.get("/v1/learners/ana/progress", headers=keys["app"])
    assert progress.status_code == 200, progress.text

    # The id can be used again: a new version, after every one stored before.
    again = await client.post("/v1/scenarios", json=renamed("Iris"), headers=keys["author"])
    assert again.status_code == 201 and again.json()["version"] == 3


async def test_a_cohort_runs_on_a_tenant_scenario(client: ApiClient, keys: dict[str, dict[str, str]]) -> None:
    from tests.web.forms import post_form

    assert (await client.post("/v1/scenarios", json=own(), headers=keys["author"])).status_code == 201
    made = await client.post(
        "/v1/cohorts",
        json={"name": "Clinic staff", "scenarios": [OWN, "test-partner"]},
        headers=keys["author"],
    )
    assert made.status_code == 201, made.text
    cohort = made.json()
    joined = await post_form(
        client,
        "/practice/join",
        data={"code": cohort["join_code"], "display_name": "Ana"},
        follow_redirects=False,
    )
    assert joined.status_code == 303, joined.text
    learner = {"Cookie": f"trainer_practice={joined.cookies['trainer_practice']}"}
    client.cookies.clear()
    page = await client.get("/practice", headers=learner)
    assert "A long wait" not in page.text and "Maya" in page.text
    started = await client.post("/practice/api/sessions", json={"scenario_id": OWN}, headers=learner)
    assert started.status_code == 201, started.text
    session = started.json()["id"]
    turn = await client.post(
        f"/practice/api/sessions/{session}/turns",
        json={"reply": "It sounds like you felt pushed aside when I cancelled Saturday."},
        headers=learner,
    )
    assert turn.status_code == 201, turn.text
    progress = (await client.get(f"/v1/cohorts/{cohort['id']}/progress", headers=keys["author"])).json()
    (row,) = progress["learners"]
    assert row["scenario_id"] == OWN and row["sessions_started"] == 1 and row["turns"] == 1
    # Retired mid-workshop: the page no longer offers it, the started conversation goes on.
    assert (await client.delete(f"/v1/scenarios/{OWN}", headers=keys["author"])).status_code == 204
    assert "Maya" not in (await client.get("/practice", headers=learner)).text
    again = await client.post(
        f"/practice/api/sessions/{session}/turns",
        json={"reply": "What was the hardest part?"},
        headers=learner,
    )
    assert again.status_code == 201, again.text
    resumed = await client.post("/practice/api/sessions", json={"scenario_id": OWN}, headers=learner)
    assert resumed.status_code == 201 and resumed.json()["id"] == session  # carries on where it was
    late = await post_form(
        client,
        "/practice/join",
        data={"code": cohort["join_code"], "display_name": "Ben"},
        follow_redirects=False,
    )
    newcomer = {"Cookie": f"trainer_practice={late.cookies['trainer_practice']}"}
    client.cookies.clear()
    refused = await client.post("/practice/api/sessions", json={"scenario_id": OWN}, headers=newcomer)
    assert refused.status_code == 409 and "retired" in refused.json()["detail"]
