"""The OpenAPI document lists every session endpoint, with an example for each request and response."""

from __future__ import annotations

from typing import Any

from tests.api.sessions_support import content_library, database_settings  # noqa: F401 (fixtures)
from tests.conftest import ApiClient

ENDPOINTS = {
    ("post", "/v1/sessions"),
    ("get", "/v1/sessions"),
    ("get", "/v1/sessions/{session_id}"),
    ("post", "/v1/sessions/{session_id}/turns"),
    ("post", "/v1/sessions/{session_id}/turns/stream"),
    ("get", "/v1/sessions/{session_id}/report"),
    ("get", "/v1/sessions/{session_id}/hint"),
    ("get", "/v1/learners/{learner_id}/progress"),
    ("delete", "/v1/learners/{learner_id}"),
    ("post", "/v1/grade"),
}


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def has_example(document: dict[str, Any], content: dict[str, Any]) -> bool:
    for media in content.values():
        if media.get("examples") or media.get("example"):
            return True
        schema = resolve(document, media.get("schema", {}))
        if schema.get("examples") or schema.get("example"):
            return True
    return False


async def test_every_endpoint_has_examples(client: ApiClient) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    listed = {(method, path) for path, item in document["paths"].items() for method in item}
    assert listed >= ENDPOINTS
    for method, path in ENDPOINTS:
        operation = document["paths"][path][method]
        if "requestBody" in operation:
            assert has_example(document, operation["requestBody"]["content"]), (method, path, "request")
        for status, response in operation["responses"].items():
            if status == "204":
                continue
            assert "content" in response and has_example(document, response["content"]), (
                method,
                path,
                status,
            )
