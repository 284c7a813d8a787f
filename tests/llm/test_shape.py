"""Requests adapt to what the model takes, learnt from the provider's documented 400 answers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from tests.llm.conftest import OPENAI_URL, ManualClock, make_options, openai_answer, openai_stream
from trainer.llm import OpenAICompatible
from trainer.llm.http import RequestRejected
from trainer.llm.resilience import BreakerState
from trainer.llm.shape import RequestShape, SchemaTier, ShapeBook, adapt, default_shape, problem_of
from trainer.llm.types import system, user

URL = f"{OPENAI_URL}/chat/completions"
MESSAGES = [system("Grade."), user("reply")]

# OpenAI's answers to a GPT-5 or o-series request, as the API documents and sends them.
MAX_TOKENS_REFUSED = {
    "error": {
        "message": "Unsupported parameter: 'max_tokens' is not supported with this model. "
        "Use 'max_completion_tokens' instead.",
        "type": "invalid_request_error",
        "param": "max_tokens",
        "code": "unsupported_parameter",
    }
}
TEMPERATURE_REFUSED = {
    "error": {
        "message": "Unsupported value: 'temperature' does not support 0.0 with this model. "
        "Only the default (1) value is supported.",
        "type": "invalid_request_error",
        "param": "temperature",
        "code": "unsupported_value",
    }
}


def gpt5_server(request: httpx.Request) -> httpx.Response:
    """Answers like a GPT-5 model: 400 for max_tokens, 400 for a temperature but the default."""
    body: dict[str, Any] = json.loads(request.content)
    if "max_tokens" in body:
        return httpx.Response(400, json=MAX_TOKENS_REFUSED)
    if body.get("temperature", 1) != 1:
        return httpx.Response(400, json=TEMPERATURE_REFUSED)
    if body.get("stream"):
        return httpx.Response(200, content=openai_stream("Mm,", " go on."))
    return httpx.Response(200, json=openai_answer("Mm, go on.", model="gpt-5-mini-2025-08-07"))


async def test_the_first_call_learns_every_refused_parameter_and_later_calls_go_through_clean(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(side_effect=gpt5_server)
    options = make_options(clock)
    judge = OpenAICompatible(client, OPENAI_URL, "sk", "gpt-5-mini", options=options)
    partner = OpenAICompatible(client, OPENAI_URL, "sk", "gpt-5-mini", options=options)

    first = await judge.complete(MESSAGES, max_tokens=300, temperature=0.0)
    assert first.text == "Mm, go on." and route.call_count == 3  # two refusals, then the answer
    sent = json.loads(route.calls.last.request.content)
    assert sent["max_completion_tokens"] == 300 and "max_tokens" not in sent and "temperature" not in sent

    # the judge's next call and the partner (same model, same worker) send the learnt shape at once
    await judge.complete(MESSAGES, max_tokens=300, temperature=0.0)
    pieces = [piece async for piece in partner.stream(MESSAGES, max_tokens=160, temperature=0.7)]
    assert pieces == ["Mm,", " go on."] and route.call_count == 5
    assert judge.breaker.state is BreakerState.closed and clock.sleeps == []
    assert options.shapes.learnt()["gpt-5-mini"] == [
        "sends max_completion_tokens instead of max_tokens",
        "leaves temperature at the model's default",
    ]


async def test_openai_itself_gets_max_completion_tokens_from_the_start(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    route = router.post("https://api.openai.com/v1/chat/completions").mock(
        return_value=httpx.Response(200, json=openai_answer("hi"))
    )
    model = OpenAICompatible(
        client, "https://api.openai.com/v1", "sk", "gpt-4o-mini", options=make_options(clock)
    )
    await model.complete(MESSAGES, max_tokens=50)
    body = json.loads(route.calls.last.request.content)
    assert body["max_completion_tokens"] == 50 and "max_tokens" not in body


async def test_a_server_that_knows_only_max_tokens_is_learnt_too(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    refused = {"error": {"message": "Unrecognized request argument supplied: max_completion_tokens"}}
    route = router.post("https://api.groq.com/openai/v1/chat/completions").mock(
        side_effect=[
            httpx.Response(
                400,
                json={
                    "error": {
                        **refused["error"],
                        "param": "max_completion_tokens",
                        "code": "unsupported_parameter",
                    }
                },
            ),
            httpx.Response(200, json=openai_answer("hi")),
        ]
    )
    model = OpenAICompatible(
        client, "https://api.groq.com/openai/v1", "gsk", "llama-3.3-70b", options=make_options(clock)
    )
    await model.complete(MESSAGES, max_tokens=50)
    assert json.loads(route.calls.last.request.content)["max_tokens"] == 50


async def test_a_400_that_names_nothing_to_adapt_is_a_failure_not_a_success(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    router.post(URL).mock(
        return_value=httpx.Response(
            400,
            json={
                "error": {
                    "message": "'messages' must contain at least one message",
                    "type": "invalid_request_error",
                    "param": "messages",
                    "code": None,
                }
            },
        )
    )
    model = OpenAICompatible(client, OPENAI_URL, "sk", "m", options=make_options(clock, breaker_failures=2))
    for _ in range(2):
        with pytest.raises(RequestRejected):
            await model.complete(MESSAGES)
    assert model.breaker.state is BreakerState.open  # it no longer passes for a healthy provider


def test_response_format_refusals_step_down_one_tier_at_a_time() -> None:
    shape = RequestShape()
    # vLLM puts no "error" object around its message
    vllm = httpx.Response(
        400,
        json={
            "object": "error",
            "message": "json_schema is not supported",
            "type": "BadRequestError",
            "code": 400,
        },
    )
    assert adapt(shape, problem_of(vllm)) == "asks for json_object with the schema in the prompt"
    shape = RequestShape()
    groq = httpx.Response(
        400,
        json={
            "error": {
                "message": "'response_format' : one of the following must be satisfied"
                "[('response_format.type' : value is not one of the allowed values ['text']) OR "
                "('response_format.type' : value is not one of the allowed values ['json_object'])]",
                "type": "invalid_request_error",
            }
        },
    )
    assert adapt(shape, problem_of(groq)) == "asks for json_object with the schema in the prompt"
    assert shape.schema_tier is SchemaTier.json_object
    assert adapt(shape, problem_of(groq)) == "puts the schema in the prompt only"
    assert adapt(shape, problem_of(groq)) is None


def test_default_shapes_and_the_shared_book() -> None:
    assert default_shape("https://api.openai.com/v1").limit_param == "max_completion_tokens"
    assert default_shape("https://myres.openai.azure.com/openai/v1").limit_param == "max_completion_tokens"
    assert default_shape("http://127.0.0.1:8080/v1").limit_param == "max_tokens"
    book = ShapeBook()
    assert book.get("u", "m") is book.get("u", "m") and book.get("u", "m") is not book.get("u", "n")
