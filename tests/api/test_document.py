"""The served OpenAPI document says what the API does (issue 19, part 5).

Schemathesis (tests/contract) checks responses against the document; these check the document's own
promises: readable operationIds, every error as application/problem+json with its headers, bodies
that refuse extra fields say so, the stream's events are all named, every schema is described, and a
status the API does answer is in the document.
"""

from __future__ import annotations

import ast
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.access.test_matrix import matrix_library, own_scenario
from tests.conftest import ApiClient, issue_key
from trainer.api.document import SSE_EVENT_NAMES
from trainer.app import create_app
from trainer.sessions import controller as sessions_controller
from trainer.settings import Settings
from trainer.store.db import create_engine
from trainer.store.migrate import upgrade
from trainer.store.tables import Role

Document = dict[str, Any]


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[ApiClient, Document, dict[str, str]]]:
    """A client on a fresh SQLite database whose cohorts take one member, the document and an admin key."""
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'doc.db'}", cohort_max_members=1)
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    key = await issue_key(settings, name="admin", role=Role.admin, tenant="t")
    async with AsyncTestClient(app=create_app(settings, library=matrix_library())) as client:
        document: Document = (await client.get("/schema/openapi.json")).json()
        yield client, document, {"Authorization": f"Bearer {key}"}


def operations(document: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path, operation


def resolve(document: Document, schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema or "allOf" in schema:
        if "allOf" in schema:
            (schema,) = schema["allOf"]
        else:
            schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def statuses_of(document: Document, method: str, path: str) -> set[int]:
    return {int(status) for status in document["paths"][path][method]["responses"]}


async def test_operation_ids_are_readable_and_unique(
    served: tuple[ApiClient, Document, dict[str, str]],
) -> None:
    _, document, _ = served
    ids = [operation.get("operationId", "") for _, _, operation in operations(document)]
    assert [i for i in ids if not re.fullmatch(r"[a-z][a-zA-Z]{2,30}", i)] == []
    assert len(ids) == len(set(ids))
    assert document["paths"]["/v1/sessions/{session_id}/turns"]["post"]["operationId"] == "postTurn"


async def test_every_error_is_a_problem_and_says_when_to_retry(
    served: tuple[ApiClient, Document, dict[str, str]],
) -> None:
    _, document, _ = served
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (method, path, status)
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}, (method, path, status)
            if status in ("429", "503"):
                assert "Retry-After" in response.get("headers", {}), (method, path, status)
        if path.startswith("/v1/"):
            assert {401, 429} <= statuses_of(document, method, path), (method, path)
    for path, status in [
        ("/v1/sessions/{session_id}/turns", "201"),
        ("/v1/sessions/{session_id}/turns/stream", "200"),
    ]:
        headers = document["paths"][path]["post"]["responses"][status]["headers"]
        assert "Idempotent-Replayed" in headers, path


async def test_bodies_that_refuse_extra_fields_say_so(
    served: tuple[ApiClient, Document, dict[str, str]],
) -> None:
    client, document, auth = served
    for method, path, operation in operations(document):
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content and not path.startswith("/v1/scenarios"):
            schema = resolve(document, content["application/json"]["schema"])
            assert schema.get("additionalProperties") is False, (method, path)
    refused = await client.post(
        "/v1/sessions", json={"scenario_id": "test-partner", "learner_id": "a", "extra": 1}, headers=auth
    )
    assert refused.status_code in (400, 422), refused.text


def events_sent() -> set[str]:
    """Every event name the sessions controller streams (each goes through ``_event("name", ...)``)."""
    tree = ast.parse(Path(sessions_controller.__file__).read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_event":
            (name, _data) = node.args
            assert isinstance(name, ast.Constant) and isinstance(name.value, str), ast.unparse(node)
            names.add(name.value)
    return names


async def test_the_stream_is_typed_and_names_every_event_it_sends(
    served: tuple[ApiClient, Document, dict[str, str]],
) -> None:
    _, document, _ = served
    response = document["paths"]["/v1/sessions/{session_id}/turns/stream"]["post"]["responses"]["200"]
    (media,) = response["content"]
    assert media == "text/event-stream"
    event = response["content"][media]["schema"]["properties"]["event"]
    sent = events_sent()
    assert {"partner", "screen", "partner_replaced", "grade", "state", "done", "error"} <= sent
    assert set(event["enum"]) == sent == set(SSE_EVENT_NAMES)
    for name in sent:
        assert f"`{name}`" in response["description"], name


async def test_every_schema_is_described(served: tuple[ApiClient, Document, dict[str, str]]) -> None:
    _, document, _ = served
    schemas = document["components"]["schemas"]
    assert [name for name, schema in schemas.items() if not schema.get("description")] == []


async def test_a_full_cohort_and_a_retired_scenario_are_documented_conflicts(
    served: tuple[ApiClient, Document, dict[str, str]],
) -> None:
    """Each answers a 409; the document lists 409 for the route, as a problem."""
    client, document, auth = served
    made = await client.post(
        "/v1/cohorts", json={"name": "Room", "scenarios": ["test-partner"]}, headers=auth
    )
    assert made.status_code == 201, made.text
    path = f"/v1/cohorts/{made.json()['id']}/learners"
    statuses = [
        (await client.post(path, json={"learner_id": who, "display_name": who}, headers=auth)).status_code
        for who in ("a", "b")
    ]
    assert statuses == [201, 409]
    assert 409 in statuses_of(document, "post", "/v1/cohorts/{cohort_id}/learners")

    stored = await client.post("/v1/scenarios", json=own_scenario(), headers=auth)
    assert stored.status_code == 201, stored.text
    scenario_id = stored.json()["id"]
    assert (await client.delete(f"/v1/scenarios/{scenario_id}", headers=auth)).status_code == 204
    started = await client.post(
        "/v1/sessions", json={"scenario_id": scenario_id, "learner_id": "c"}, headers=auth
    )
    assert started.status_code == 409 and started.json()["title"] == "Scenario retired", started.text
    assert 409 in statuses_of(document, "post", "/v1/sessions")


async def test_a_blank_partner_line_is_refused_and_documented_as_such(
    served: tuple[ApiClient, Document, dict[str, str]],
) -> None:
    # Found by schemathesis: {"partner": "\t"} matched the document and was refused with a 422.
    client, document, headers = served
    grade = document["components"]["schemas"]["GradeRequest"]["properties"]["partner"]
    assert re.search(grade["pattern"], "\t") is None
    assert re.search(grade["pattern"], "I feel unheard.") is not None
    refused = await client.post("/v1/grade", json={"partner": "\t", "reply": "ok"}, headers=headers)
    assert refused.status_code == 422
