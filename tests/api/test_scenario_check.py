"""POST /v1/scenarios/check: a scenario sent as JSON or YAML is checked like the files, then run."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from litestar import Litestar

from tests.conftest import ApiClient, issue_key
from trainer.content.library import ContentLibrary
from trainer.settings import DATA_DIR, Settings
from trainer.store.tables import Role

SOURCE = DATA_DIR / "scenarios" / "never-a-priority.yaml"
URL = "/v1/scenarios/check"


@pytest.fixture
async def facilitator(app: Litestar, settings: Settings) -> dict[str, str]:
    token = await issue_key(settings, name="author", role=Role.facilitator, tenant="clinic")
    return {"Authorization": f"Bearer {token}"}


def own() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    document["id"] = "clinic-wait"
    return document


async def send(client: ApiClient, headers: dict[str, str], document: Any) -> Any:
    return await client.post(URL, json=document, headers=headers)


def fields(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["title"] == "Scenario not accepted"
    return {item["field"]: item["message"] for item in body["errors"]}


async def test_a_good_scenario_is_accepted_as_json_and_as_yaml(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    as_json = await send(client, facilitator, own())
    assert as_json.status_code == 200, as_json.text
    assert as_json.json()["accepted"] is True and as_json.json()["scenario"]["id"] == "clinic-wait"
    as_yaml = await client.post(
        URL,
        content=yaml.safe_dump(own()).encode(),
        headers={**facilitator, "Content-Type": "application/yaml"},
    )
    assert as_yaml.status_code == 200, as_yaml.text
    assert as_yaml.json() == as_json.json()


async def test_only_facilitator_and_admin_keys_may_check(client: ApiClient, auth: dict[str, str]) -> None:
    refused = await send(client, auth, own())
    assert refused.status_code == 403 and "facilitator" in refused.json()["detail"]


async def test_each_field_in_error_is_listed_by_its_path(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    document = own()
    document["partner"]["mood"] = "grumpy"
    document["key_points"][0]["cues"] = []
    problems = fields(await send(client, facilitator, document))
    assert problems["partner.mood"] == "unknown field 'mood'"
    assert "key_points[0].cues" in problems
    twins = own()
    twins["key_points"][1]["id"] = twins["key_points"][0]["id"]
    problems = fields(await send(client, facilitator, twins))
    assert any("must be unique" in message for message in problems.values()), problems


async def test_bad_bodies_are_clear_problems(
    client: ApiClient, facilitator: dict[str, str], library: ContentLibrary
) -> None:
    big = own()
    big["summary"] = "x" * 70_000
    assert "larger than" in fields(await send(client, facilitator, big))["(body)"]
    twice = '{"id": "a", "id": "b"}'
    as_json = {**facilitator, "Content-Type": "application/json"}
    duplicate = await client.post(URL, content=twice, headers=as_json)
    assert "duplicate key 'id'" in fields(duplicate)["(body)"]
    as_yaml = {**facilitator, "Content-Type": "application/yaml"}
    not_yaml = await client.post(URL, content=b"id: [", headers=as_yaml)
    assert "invalid YAML" in fields(not_yaml)["(body)"]
    built_in = {**own(), "id": next(iter(library.scenarios))}
    assert "built-in" in fields(await send(client, facilitator, built_in))["id"]


async def test_a_scenario_whose_conversations_fail_says_which_stage(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    short = {**own(), "max_turns": 4}
    problems = fields(await send(client, facilitator, short))
    assert "could not be passed" in problems["(conversation: hints)"]
    unreachable = own()
    unreachable["deeper"]["cues"] = ["zebra crossing"]
    problems = fields(await send(client, facilitator, unreachable))
    assert "Stage 'deepening' could not be passed" in problems["(conversation: hints)"]
    assert "zebra crossing" in problems["(conversation: hints)"]
