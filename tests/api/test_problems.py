"""Every error is application/problem+json, from one mapping, and never shows a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar, get, post
from litestar.params import JSONBody
from litestar.testing import AsyncTestClient
from pydantic import BaseModel, ConfigDict

from tests.conftest import ApiClient, issue_key
from trainer.api.problems import PROBLEM_JSON, problem_for
from trainer.app import create_app
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.store.db import create_engine
from trainer.store.migrate import upgrade
from trainer.vocabulary import errors


class EchoBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reply: str
    count: int


@post("/echo")
async def echo(data: JSONBody[EchoBody]) -> EchoBody:
    return data


@get("/boom")
async def boom() -> None:
    # Built at run time, so that the source line in a stack trace does not contain it.
    raise RuntimeError(" ".join(["the", "learner's", "reply"]))


@get("/conflict")
async def conflict() -> None:
    raise errors.SessionNotActive("The session is completed")


@get("/limited")
async def limited() -> None:
    raise errors.RateLimited("Slow down", retry_after=7)


@pytest.fixture
async def client(settings: Settings, library: ContentLibrary) -> AsyncIterator[ApiClient]:
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    await engine.dispose()
    app: Litestar = create_app(settings, library=library, v1_handlers=[echo, boom, conflict, limited])
    async with AsyncTestClient(app=app) as test_client:
        token = await issue_key(settings, name="problems")
        test_client.headers["Authorization"] = f"Bearer {token}"
        yield test_client


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body


async def test_a_valid_body_is_accepted(client: ApiClient) -> None:
    response = await client.post("/v1/echo", json={"reply": "hi", "count": 2})
    assert response.status_code == 201 and response.json() == {"reply": "hi", "count": 2}


async def test_malformed_json_is_a_400(client: ApiClient) -> None:
    response = await client.post(
        "/v1/echo", content=b'{"reply": "hi", ', headers={"content-type": "application/json"}
    )
    body = _problem(response, 400)
    assert body["instance"] == "/v1/echo"


async def test_a_wrong_type_is_a_422_naming_the_field(client: ApiClient) -> None:
    body = _problem(await client.post("/v1/echo", json={"reply": "hi", "count": "many"}), 422)
    assert "count" in body["detail"]
    assert [e["field"] for e in body["errors"]] == ["count"]


async def test_a_missing_field_is_a_422_naming_the_field(client: ApiClient) -> None:
    body = _problem(await client.post("/v1/echo", json={"count": 1}), 422)
    assert "reply" in body["detail"]


async def test_an_unknown_field_is_refused(client: ApiClient) -> None:
    body = _problem(await client.post("/v1/echo", json={"reply": "hi", "count": 1, "score": 3}), 422)
    assert "score" in body["detail"]


async def test_a_body_over_the_limit_is_a_413(client: ApiClient, settings: Settings) -> None:
    response = await client.post("/v1/echo", json={"reply": "x" * (settings.max_body_bytes + 1), "count": 1})
    _problem(response, 413)


async def test_an_unexpected_exception_is_an_opaque_500(client: ApiClient) -> None:
    body = _problem(await client.get("/v1/boom"), 500)
    assert body["title"] == "Internal server error"
    assert "the learner's reply" not in str(body)
    assert "RuntimeError" not in str(body)


async def test_a_domain_conflict_is_a_409(client: ApiClient) -> None:
    body = _problem(await client.get("/v1/conflict"), 409)
    assert body["title"] == "Session is not active" and body["detail"] == "The session is completed"
    assert body["type"].endswith("session-not-active")


async def test_rate_limited_carries_retry_after(client: ApiClient) -> None:
    response = await client.get("/v1/limited")
    _problem(response, 429)
    assert response.headers["retry-after"] == "7"


async def test_unknown_route_and_wrong_method(client: ApiClient) -> None:
    _problem(await client.get("/v1/nothing-here"), 404)
    response = await client.delete("/v1/scenarios")
    _problem(response, 405)
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.InvalidReply("empty"), 422),
        (errors.JoinRefused("no such code"), 422),
        (errors.NotFound("gone"), 404),
        (errors.TurnConflict("raced"), 409),
        (errors.IdempotencyMismatch("other body"), 422),
        (errors.AuthError("who?"), 401),
        (errors.Forbidden("no"), 403),
        (errors.ProviderUnavailable("down"), 502),
        (errors.ContentError("scenarios/x.yaml", "bad"), 500),
        (ValueError("oops"), 500),
    ],
)
def test_every_error_has_one_status(error: Exception, status: int) -> None:
    problem, _ = problem_for(error)
    assert problem.status == status
    if status >= 500:
        assert problem.detail == "The server could not complete the request."


async def test_a_500_is_logged_with_its_stack_but_not_its_message(
    client: ApiClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="trainer.api"):
        await client.get("/v1/boom")
    [record] = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert record.levelno == logging.ERROR and record.__dict__["error"] == "RuntimeError"
    assert "in boom" in record.__dict__["stack"]
    assert "the learner's reply" not in record.getMessage() + record.__dict__["stack"]
    assert record.exc_info is None
