"""The workshop page: a facilitator uploads a scenario file (YAML or JSON), it is checked like the API
checks it, stored for the tenant, and put on a cohort's programme; problems are shown on the page."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from litestar import Litestar

from tests.conftest import ApiClient, issue_key
from tests.web.forms import post_form
from trainer.settings import DATA_DIR, Settings
from trainer.store.tables import Role

SOURCE = DATA_DIR / "scenarios" / "never-a-priority.yaml"
OWN = "clinic-wait"


def own_yaml(**changes: Any) -> bytes:
    document: dict[str, Any] = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    document.update(id=OWN, title="A long wait at the clinic", **changes)
    return yaml.safe_dump(document).encode()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
async def facilitator(app: Litestar, settings: Settings) -> dict[str, str]:
    token = await issue_key(settings, name="f", role=Role.facilitator, tenant="clinic")
    return {"Authorization": f"Bearer {token}"}


async def sign_in(client: ApiClient, headers: dict[str, str]) -> None:
    key = headers["Authorization"].removeprefix("Bearer ")
    assert (await post_form(client, "/workshop/login", data={"key": key})).status_code == 200


async def cohort(client: ApiClient, headers: dict[str, str]) -> int:
    made = await client.post(
        "/v1/cohorts", json={"name": "Clinic staff", "scenarios": ["test-partner"]}, headers=headers
    )
    assert made.status_code == 201, made.text
    number: int = made.json()["id"]
    return number


async def upload(
    client: ApiClient, content: bytes, name: str = "clinic-wait.yaml", cohort_id: str = ""
) -> Any:
    return await client.post(
        "/workshop/scenarios",
        files={"scenario": (name, content, "application/octet-stream")},
        data={"cohort_id": cohort_id},
        follow_redirects=False,
    )


async def test_an_uploaded_scenario_goes_on_the_cohorts_programme(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    cohort_id = await cohort(client, facilitator)
    await sign_in(client, facilitator)
    board = (await client.get(f"/workshop/cohorts/{cohort_id}")).text
    assert 'action="/workshop/scenarios"' in board and 'enctype="multipart/form-data"' in board
    sent = await upload(client, own_yaml(), cohort_id=str(cohort_id))
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == f"/workshop/cohorts/{cohort_id}"
    assert "A long wait at the clinic" in (await client.get(f"/workshop/cohorts/{cohort_id}")).text
    read = await client.get(f"/v1/cohorts/{cohort_id}", headers=facilitator)
    assert read.json()["scenarios"] == ["test-partner", OWN]
    listed = {
        item["id"]: item for item in (await client.get("/v1/scenarios", headers=facilitator)).json()["items"]
    }
    assert listed[OWN]["source"] == "tenant" and listed[OWN]["version"] == 1
    # The same file again (say, after an edit): the next version, still once on the programme.
    assert (await upload(client, own_yaml(), cohort_id=str(cohort_id))).status_code == 303
    listed = {
        item["id"]: item for item in (await client.get("/v1/scenarios", headers=facilitator)).json()["items"]
    }
    assert listed[OWN]["version"] == 2
    assert (await client.get(f"/v1/cohorts/{cohort_id}", headers=facilitator)).json()["scenarios"] == [
        "test-partner",
        OWN,
    ]


async def test_a_json_file_without_a_cohort_is_listed_as_your_own(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    await sign_in(client, facilitator)
    document = yaml.safe_load(own_yaml())
    sent = await upload(client, json.dumps(document).encode(), name="clinic.json")
    assert sent.status_code == 303 and sent.headers["location"] == "/workshop"
    home = (await client.get("/workshop")).text
    assert "Scenarios of your own" in home and "clinic-wait · version 1" in home


async def test_a_bad_file_is_explained_on_the_page_and_not_stored(
    client: ApiClient, facilitator: dict[str, str]
) -> None:
    cohort_id = await cohort(client, facilitator)
    await sign_in(client, facilitator)
    document = yaml.safe_load(own_yaml())
    document["key_points"][0]["cues"] = []
    document["partner"]["mood"] = "grumpy"
    refused = await upload(client, yaml.safe_dump(document).encode(), cohort_id=str(cohort_id))
    assert refused.status_code == 422
    assert "clinic-wait.yaml was not accepted" in refused.text
    assert "<code>key_points[0].cues</code>" in refused.text
    assert "<code>partner.mood</code>: unknown field &#39;mood&#39;" in refused.text
    broken = await upload(client, b"id: [", cohort_id=str(cohort_id))
    assert broken.status_code == 422 and "invalid YAML" in broken.text
    listed = [item["id"] for item in (await client.get("/v1/scenarios", headers=facilitator)).json()["items"]]
    assert OWN not in listed
    assert (await client.get(f"/v1/cohorts/{cohort_id}", headers=facilitator)).json()["scenarios"] == [
        "test-partner"
    ]


async def test_uploads_follow_the_workshop_rules(
    client: ApiClient, facilitator: dict[str, str], settings: Settings
) -> None:
    token = await issue_key(settings, name="g", role=Role.facilitator, tenant="clinic")
    other = {"Authorization": f"Bearer {token}"}
    theirs = await cohort(client, other)
    signed_out = await upload(client, own_yaml())
    assert "Sign in" in signed_out.text and signed_out.status_code in (200, 401)
    await sign_in(client, facilitator)
    for cohort_id in (str(theirs), "99999999999999999999", "x", "²"):
        assert (await upload(client, own_yaml(), cohort_id=cohort_id)).status_code == 404
    cross_site = await client.post(
        "/workshop/scenarios",
        files={"scenario": ("x.yaml", own_yaml(), "application/yaml")},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert cross_site.status_code == 403
    listed = [item["id"] for item in (await client.get("/v1/scenarios", headers=facilitator)).json()["items"]]
    assert OWN not in listed
