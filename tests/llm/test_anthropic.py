from __future__ import annotations

import json
from dataclasses import replace

import httpx
import pytest
import respx
from pydantic import BaseModel, ConfigDict

from tests.llm.conftest import (
    ANTHROPIC_URL,
    ManualClock,
    anthropic_answer,
    anthropic_stream,
    make_options,
    sse,
)
from trainer.llm import Anthropic, ClientOptions, PriceTable
from trainer.llm.types import assistant, system, user
from trainer.vocabulary.errors import ProviderBadOutput, ProviderRefused, ProviderUnavailable

URL = f"{ANTHROPIC_URL}/v1/messages"


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int
    reason: str


def make(client: httpx.AsyncClient, options: ClientOptions) -> Anthropic:
    return Anthropic(
        client, "sk-ant-test", "claude-3-5-haiku-latest", base_url=ANTHROPIC_URL, options=options
    )


async def test_complete_puts_system_apart_and_reads_usage(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(
        return_value=httpx.Response(200, json=anthropic_answer([{"type": "text", "text": "Hello."}]))
    )
    completion = await make(client, options).complete(
        [system("Be brief."), assistant("Hi, I need to talk."), user("Go on.")], max_tokens=64
    )

    request = route.calls.last.request
    assert request.headers["x-api-key"] == "sk-ant-test"
    assert request.headers["anthropic-version"] == "2023-06-01"
    body = json.loads(request.content)
    # the system prompt is one block marked for Anthropic's prompt cache
    assert body["system"] == [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}]
    assert body["max_tokens"] == 64
    # the API needs the user first: the partner's opening line gets a user turn before it
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert completion.text == "Hello."
    assert completion.model == "claude-3-5-haiku-20241022"
    assert completion.usage.cost_usd == pytest.approx((2000 * 0.80 + 250 * 4.00) / 1_000_000)


async def test_structured_forces_a_tool_and_reads_its_input(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(
        return_value=httpx.Response(
            200,
            json=anthropic_answer(
                [
                    {
                        "type": "tool_use",
                        "id": "toolu_01",
                        "name": "Verdict",
                        "input": {"score": 3, "reason": "named it"},
                    }
                ],
                stop="tool_use",
            ),
        )
    )
    verdict, usage = await make(client, options).structured([user("Grade this.")], Verdict)
    body = json.loads(route.calls.last.request.content)
    assert body["tool_choice"] == {"type": "tool", "name": "Verdict"}
    assert body["tools"][0]["input_schema"]["required"] == ["score", "reason"]
    assert body["tools"][-1]["cache_control"] == {"type": "ephemeral"}
    assert verdict == Verdict(score=3, reason="named it")
    assert usage.output_tokens == 250


async def test_cache_reads_and_writes_count_as_input_and_reads_are_priced_as_cached(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    # Anthropic's usage keeps cache reads and writes apart from input_tokens (documented shape).
    answer = anthropic_answer([{"type": "text", "text": "Mm."}])
    answer["usage"] = {
        "input_tokens": 120,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 3300,
        "output_tokens": 40,
    }
    router.post(URL).mock(return_value=httpx.Response(200, json=answer))
    options = replace(make_options(clock), prices=PriceTable({"claude-3-5-haiku": (0.80, 4.00, 0.08)}))
    completion = await make(client, options).complete([system("Grade."), user("reply")])
    usage = completion.usage
    assert (usage.input_tokens, usage.cached_input_tokens, usage.output_tokens) == (3420, 3300, 40)
    assert usage.cost_usd == pytest.approx((120 * 0.80 + 3300 * 0.08 + 40 * 4.00) / 1_000_000)


async def test_stream_reads_cache_usage_from_message_start(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    body = anthropic_stream("Yes.").replace(
        b'"usage": {"input_tokens": 420, "output_tokens": 1}',
        b'"usage": {"input_tokens": 20, "cache_read_input_tokens": 400, "output_tokens": 1}',
    )
    router.post(URL).mock(
        return_value=httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})
    )
    stream = make(client, options).stream([system("Speak."), user("hi")])
    assert [piece async for piece in stream] == ["Yes."]
    assert stream.usage is not None
    assert (stream.usage.input_tokens, stream.usage.cached_input_tokens) == (420, 400)


async def test_stream_events_give_text_and_usage(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(
        return_value=httpx.Response(
            200,
            content=anthropic_stream("Yeah.", " That's it."),
            headers={"content-type": "text/event-stream"},
        )
    )
    stream = make(client, options).stream([user("Did I get it?")])
    pieces = [piece async for piece in stream]
    assert json.loads(route.calls.last.request.content)["stream"] is True
    assert pieces == ["Yeah.", " That's it."]
    assert stream.completion is not None and stream.completion.stop_reason == "end_turn"
    assert stream.usage is not None and (stream.usage.input_tokens, stream.usage.output_tokens) == (420, 15)


async def test_truncated_stream_is_unavailable(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    router.post(URL).mock(return_value=httpx.Response(200, content=anthropic_stream("Yeah.", complete=False)))
    with pytest.raises(ProviderUnavailable, match="truncated"):
        _ = [piece async for piece in make(client, options).stream([user("hi")])]


async def test_overloaded_error_event_before_text_is_retried(
    client: httpx.AsyncClient, options: ClientOptions, clock: ManualClock, router: respx.MockRouter
) -> None:
    overloaded = sse(
        ("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    )
    router.post(URL).mock(
        side_effect=[
            httpx.Response(200, content=overloaded),
            httpx.Response(200, content=anthropic_stream("Okay.")),
        ]
    )
    pieces = [piece async for piece in make(client, options).stream([user("hi")])]
    assert pieces == ["Okay."] and len(clock.sleeps) == 1


async def test_529_is_retried(
    client: httpx.AsyncClient, options: ClientOptions, clock: ManualClock, router: respx.MockRouter
) -> None:
    router.post(URL).mock(
        side_effect=[
            httpx.Response(
                529, json={"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
            ),
            httpx.Response(200, json=anthropic_answer([{"type": "text", "text": "ok"}])),
        ]
    )
    assert (await make(client, options).complete([user("hi")])).text == "ok"
    assert len(clock.sleeps) == 1


async def test_low_credit_is_refused_without_retry(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(
        return_value=httpx.Response(
            400,
            json={
                "type": "error",
                "error": {
                    "type": "invalid_request_error",
                    "message": "Your credit balance is too low to access the Anthropic API.",
                },
            },
        )
    )
    with pytest.raises(ProviderRefused, match="quota or billing"):
        await make(client, options).complete([user("hi")])
    assert route.call_count == 1


async def test_refusal_stop_reason_is_bad_output(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    router.post(URL).mock(return_value=httpx.Response(200, json=anthropic_answer([], stop="refusal")))
    with pytest.raises(ProviderBadOutput, match="refused"):
        await make(client, options).complete([user("hi")])


async def test_refusal_mid_stream_is_bad_output(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    router.post(URL).mock(return_value=httpx.Response(200, content=anthropic_stream("I", stop="refusal")))
    with pytest.raises(ProviderBadOutput):
        _ = [piece async for piece in make(client, options).stream([user("hi")])]
