"""Structured answers when the server or the model falls short: every re-ask, tier and strip."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated, Any

import httpx
import pytest
import respx
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from tests.llm.conftest import OPENAI_URL, ManualClock, make_options, openai_answer, openai_stream
from trainer.llm import OpenAICompatible, PriceTable, UnusableAnswer
from trainer.llm.deadline import deadline_scope
from trainer.llm.structured import strict_schema
from trainer.llm.think import ThinkFilter, strip_thinking
from trainer.llm.types import system, user
from trainer.vocabulary.errors import ProviderUnavailable

URL = f"{OPENAI_URL}/chat/completions"
MESSAGES = [system("Grade the reply."), user("the reply")]


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evidence: str
    reason: Annotated[str, StringConstraints(max_length=200)]
    score: int = Field(ge=0, le=3)


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reflection: Inner
    tip: str


GOOD = json.dumps({"reflection": {"evidence": "you felt", "reason": "names it", "score": 2}, "tip": "Ask."})


def body(route: respx.Route, index: int) -> dict[str, Any]:
    sent: dict[str, Any] = json.loads(route.calls[index].request.content)
    return sent


def make(client: httpx.AsyncClient, clock: ManualClock) -> OpenAICompatible:
    return OpenAICompatible(client, OPENAI_URL, "gsk", "llama-3.3-70b-versatile", options=make_options(clock))


async def test_strict_json_schema_is_sent_and_the_answer_validated_on_the_client(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(return_value=httpx.Response(200, json=openai_answer(GOOD)))
    verdict, _ = await make(client, clock).structured(MESSAGES, Verdict)
    assert verdict.reflection.score == 2
    sent = body(route, 0)["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["strict"] is True
    inner = sent["json_schema"]["schema"]["$defs"]["Inner"]
    assert inner["required"] == ["evidence", "reason", "score"] and inner["additionalProperties"] is False
    assert "maxLength" not in json.dumps(sent)  # strict mode does not take it; the client checks it


def test_strict_schema_closes_every_object() -> None:
    schema = strict_schema(Verdict)
    assert schema["required"] == ["reflection", "tip"] and schema["additionalProperties"] is False


async def test_groq_json_validate_failed_is_a_reask_with_the_failed_generation_and_the_schema(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    failed = '{"reflection": {"score": 2}, "tip": "Ask."}'
    route = router.post(URL).mock(
        side_effect=[
            httpx.Response(
                400,
                json={
                    "error": {
                        "message": "Failed to generate JSON. Please adjust your prompt. "
                        "See 'failed_generation' for more details.",
                        "type": "invalid_request_error",
                        "code": "json_validate_failed",
                        "failed_generation": failed,
                    }
                },
            ),
            httpx.Response(200, json=openai_answer(GOOD)),
        ]
    )
    model = make(client, clock)
    verdict, usage = await model.structured(MESSAGES, Verdict)
    assert verdict.reflection.reason == "names it" and route.call_count == 2
    reask = body(route, 1)["messages"]
    assert reask[-2] == {"role": "assistant", "content": failed}
    assert "json_validate_failed" in reask[-1]["content"] and '"evidence"' in reask[-1]["content"]
    assert usage.input_tokens == 1200  # the refused call reported no usage
    assert model.breaker.failures == 0  # a bad generation is not an outage


async def test_a_cut_off_answer_is_asked_again_with_twice_the_budget(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    # A reasoning model can spend the whole budget thinking: finish_reason length, content cut or empty.
    route = router.post(URL).mock(
        side_effect=[
            httpx.Response(200, json=openai_answer('{"reflection": {"evidence": "you', finish="length")),
            httpx.Response(200, json=openai_answer(GOOD)),
        ]
    )
    verdict, usage = await make(client, clock).structured(MESSAGES, Verdict, max_tokens=600)
    assert verdict.tip == "Ask."
    first, second = body(route, 0), body(route, 1)
    assert first["max_tokens"] == 600 and second["max_tokens"] == 1200
    note = second["messages"][-1]["content"]
    assert "cut off" in note and '"evidence"' in note
    assert usage.output_tokens == 600  # both calls counted


async def test_cut_off_twice_is_unusable(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    router.post(URL).mock(return_value=httpx.Response(200, json=openai_answer('{"refl', finish="length")))
    with pytest.raises(UnusableAnswer):
        await make(client, clock).structured(MESSAGES, Verdict)


async def test_a_server_without_json_schema_gets_json_object_and_the_schema_in_the_prompt(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(
        side_effect=[
            httpx.Response(
                400,
                json={
                    "error": {
                        "message": "response_format type json_schema is not supported by this model",
                        "type": "invalid_request_error",
                    }
                },
            ),
            httpx.Response(200, json=openai_answer(GOOD)),
            httpx.Response(200, json=openai_answer(GOOD)),
        ]
    )
    model = make(client, clock)
    await model.structured(MESSAGES, Verdict)
    second = body(route, 1)
    assert second["response_format"] == {"type": "json_object"}
    assert "JSON Schema" in second["messages"][0]["content"]  # json_object needs the word, and the schema
    await model.structured(MESSAGES, Verdict)
    assert body(route, 2)["response_format"] == {"type": "json_object"} and route.call_count == 3


async def test_think_blocks_are_dropped_before_parsing(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    thought = '<think>\nThe reply says {"score": 3}? No, it names the feeling.\n</think>\n\n' + GOOD
    router.post(URL).mock(return_value=httpx.Response(200, json=openai_answer(thought)))
    verdict, _ = await make(client, clock).structured(MESSAGES, Verdict)
    assert verdict.reflection.score == 2


async def test_a_streamed_think_block_is_never_spoken(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    router.post(URL).mock(
        return_value=httpx.Response(
            200, content=openai_stream("<thi", "nk>She is hurt", ".</think>", "\n\nYeah,", " it hurt.")
        )
    )
    pieces = [piece async for piece in make(client, clock).stream(MESSAGES)]
    assert "".join(pieces) == "Yeah, it hurt."


def test_think_stripping_forms() -> None:
    assert strip_thinking("<think>a</think>b") == "b"
    assert strip_thinking("<think>never closed") == ""
    assert strip_thinking("only the end</think> spoken") == " spoken"
    assert strip_thinking("I think <b>so</b>") == "I think <b>so</b>"
    plain = ThinkFilter()
    assert plain.feed("<") == "" and plain.feed("b>hi") == "<b>hi" and plain.feed(" there") == " there"


async def test_cached_prompt_tokens_are_read_and_priced(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    answer = openai_answer("ok")
    answer["usage"] = {
        "prompt_tokens": 3500,
        "completion_tokens": 120,
        "total_tokens": 3620,
        "prompt_tokens_details": {"cached_tokens": 3328, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 64},
    }
    router.post(URL).mock(return_value=httpx.Response(200, json=answer))
    options = replace(make_options(clock), prices=PriceTable({"gpt-4o-mini": (0.15, 0.60, 0.075)}))
    model = OpenAICompatible(client, OPENAI_URL, "sk", "gpt-4o-mini", options=options)
    usage = (await model.complete(MESSAGES)).usage
    assert (usage.input_tokens, usage.cached_input_tokens, usage.output_tokens) == (3500, 3328, 120)
    assert usage.cost_usd == pytest.approx((172 * 0.15 + 3328 * 0.075 + 120 * 0.60) / 1_000_000)


async def test_retries_stop_at_the_turns_deadline(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    # 500s would be retried twice; with 0.43 s of the deadline left after the wait, no retry fits.
    route = router.post(URL).mock(return_value=httpx.Response(500, json={"error": {"message": "boom"}}))
    with deadline_scope(0.8, now=clock.monotonic), pytest.raises(ProviderUnavailable):
        await make(client, clock).complete(MESSAGES)
    assert route.call_count == 1 and clock.sleeps == []


async def test_each_attempt_is_bounded_by_what_is_left_of_the_deadline(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(return_value=httpx.Response(200, json=openai_answer("hi")))
    with deadline_scope(2.0, now=clock.monotonic):
        await make(client, clock).complete(MESSAGES)
    assert route.calls.last.request.extensions["timeout"]["read"] == 2.0  # not the call's 5 s
    clock.advance(0)
    with deadline_scope(0.1, now=clock.monotonic), pytest.raises(ProviderUnavailable, match="deadline"):
        await make(client, clock).complete(MESSAGES)
