"""Real-model failure modes over HTTP, against respx answers modelled on the providers' documented
ones: a GPT-5-style model that refuses ``max_tokens`` and a non-default temperature, and a model
that never answers. Nothing leaves the machine."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from tests.api.sessions_support import SCENARIO, content_library, hint, start  # noqa: F401 (fixtures)
from tests.api.test_model_engines import PARTNER_LINE, _judge_answer, _stored_turns
from tests.api.test_sessions_stream import events_of
from tests.conftest import ApiClient
from tests.llm.conftest import openai_answer, openai_stream
from tests.llm.test_shape import MAX_TOKENS_REFUSED, TEMPERATURE_REFUSED
from trainer.settings import Settings

BASE = "http://models.test/v1"
DEADLINE = 0.6


@pytest.fixture(name="settings")
def model_settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        llm_base_url=BASE,
        llm_model="gpt-5-mini",
        llm_timeout=20.0,
        turn_deadline_seconds=DEADLINE,
        # These tests count the judge's and the partner's calls; the safety check has tests of its own.
        model_safety_check=False,
    )


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mocked:
        yield mocked


def gpt5(request: httpx.Request) -> httpx.Response:
    body: dict[str, Any] = json.loads(request.content)
    if "max_tokens" in body:
        return httpx.Response(400, json=MAX_TOKENS_REFUSED)
    if "temperature" in body:
        return httpx.Response(400, json=TEMPERATURE_REFUSED)
    if "response_format" in body:
        return httpx.Response(200, json=_judge_answer())
    if body.get("stream"):
        return httpx.Response(200, content=openai_stream(PARTNER_LINE))
    return httpx.Response(200, json=openai_answer(PARTNER_LINE))


async def test_a_gpt5_style_model_grades_every_turn_once_its_parameters_are_learnt(
    client: ApiClient, auth: dict[str, str], router: respx.MockRouter
) -> None:
    route = router.post(f"{BASE}/chat/completions").mock(side_effect=gpt5)
    session = await start(client, auth)
    for index in range(3):
        before = route.call_count
        reply = await hint(client, auth, session["id"])
        response = await client.post(
            f"/v1/sessions/{session['id']}/turns", json={"reply": reply}, headers=auth
        )
        assert response.status_code == 201, response.text
        grade = response.json()["turn"]["grade"]
        assert (grade["engine"], grade["degraded"]) == ("llm", False), index
        assert response.json()["turn"]["partner"]["text"] == PARTNER_LINE
        if index:
            assert route.call_count - before == 2  # one judge call, one partner call: no 400 any more
    clean = [json.loads(call.request.content) for call in route.calls if call.response.status_code == 200]
    assert all("max_completion_tokens" in body and "temperature" not in body for body in clean)


async def hang(request: httpx.Request) -> httpx.Response:
    await asyncio.sleep(3600)
    raise AssertionError("unreachable")


async def test_a_hanging_model_gives_a_degraded_turn_within_the_deadline(
    client: ApiClient, auth: dict[str, str], router: respx.MockRouter
) -> None:
    router.post(f"{BASE}/chat/completions").mock(side_effect=hang)
    session = await start(client, auth)
    started = time.monotonic()
    response = await client.post(
        f"/v1/sessions/{session['id']}/turns", json={"reply": "That sounds really hard."}, headers=auth
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 201, response.text
    turn = response.json()["turn"]
    assert turn["grade"]["degraded"] is True and turn["grade"]["engine"] == "rules"
    assert turn["partner"]["text"]  # the scripted line
    assert elapsed < DEADLINE + 2


async def test_a_streamed_turn_sends_the_scripted_line_at_the_deadline(
    client: ApiClient, auth: dict[str, str], router: respx.MockRouter
) -> None:
    router.post(f"{BASE}/chat/completions").mock(side_effect=hang)
    session = await start(client, auth)
    started = time.monotonic()
    response = await client.post(
        f"/v1/sessions/{session['id']}/turns/stream", json={"reply": "That sounds really hard."}, headers=auth
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    events = events_of(response.text)
    spoken = "".join(data["text"] for name, data in events if name == "partner")
    stored = (await client.get(f"/v1/sessions/{session['id']}", headers=auth)).json()["turns"][0]
    assert spoken and spoken == stored["partner"]["text"]  # the scripted line, sent whole
    grade = next(data for name, data in events if name == "grade")
    assert grade["degraded"] is True and elapsed < DEADLINE + 2


async def test_a_bad_key_is_one_error_log_an_open_breaker_and_said_by_the_readiness_check(
    client: ApiClient, auth: dict[str, str], router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    refused = {
        "error": {
            "message": "Incorrect API key provided: sk-proj-****wxyz.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    route = router.post(f"{BASE}/chat/completions").mock(return_value=httpx.Response(401, json=refused))
    assert (await client.get("/healthz")).json()["checks"]["model"]["status"] == "ok"
    session = await start(client, auth)
    with caplog.at_level(logging.ERROR):
        for reply in ("That sounds really hard.", "You felt alone with it."):
            response = await client.post(
                f"/v1/sessions/{session['id']}/turns", json={"reply": reply}, headers=auth
            )
            assert response.status_code == 201 and response.json()["turn"]["grade"]["degraded"] is True
    assert route.call_count <= 2  # the first turn's calls; the open breaker spared the second turn
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "configuration fault" in errors[0] and "invalid_api_key" in errors[0]
    health = (await client.get("/healthz")).json()
    assert health["status"] == "degraded" and health["checks"]["model"]["status"] == "unavailable"
    assert "the API key is not accepted" in health["checks"]["model"]["detail"]


async def test_a_turn_stores_the_partner_prompt_hash_cached_tokens_and_a_two_point_disagreement(
    client: ApiClient, auth: dict[str, str], router: respx.MockRouter, settings: Settings
) -> None:
    def provider(request: httpx.Request) -> httpx.Response:
        body: dict[str, Any] = json.loads(request.content)
        answer = _judge_answer() if "response_format" in body else openai_answer(PARTNER_LINE)
        answer["usage"] = {
            "prompt_tokens": 4200,
            "completion_tokens": 90,
            "prompt_tokens_details": {"cached_tokens": 3968},
        }
        return httpx.Response(200, json=answer)

    router.post(f"{BASE}/chat/completions").mock(side_effect=provider)
    session = await start(client, auth)
    # The rules give a bare instruction 0 for reflection; the judge says 3 on every rubric.
    response = await client.post(
        f"/v1/sessions/{session['id']}/turns", json={"reply": "Just tell her no."}, headers=auth
    )
    assert response.status_code == 201, response.text
    [stored] = await _stored_turns(settings, session["id"])
    assert stored.partner_prompt_hash and stored.prompt_hash
    assert stored.partner_prompt_hash != stored.prompt_hash
    assert (stored.input_tokens, stored.cached_input_tokens) == (8400, 7936)
    assert stored.disagreement is not None and stored.disagreement["reflection"] == {"rules": 0, "judge": 3}
    assert all(abs(d["judge"] - d["rules"]) >= 2 for d in stored.disagreement.values())
    # the grade itself kept the rules scores: the judge quoted nothing to stand a raise on
    assert response.json()["turn"]["grade"]["rubrics"]["reflection"]["score"] == 0
