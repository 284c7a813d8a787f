from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest
import respx
from pydantic import BaseModel, ConfigDict

from tests.llm.conftest import (
    OPENAI_URL,
    BreakingStream,
    ManualClock,
    openai_answer,
    openai_chunk,
    openai_stream,
    sse,
)
from trainer.llm import ClientOptions, OpenAICompatible, UnusableAnswer
from trainer.llm.types import system, user
from trainer.vocabulary.errors import ProviderBadOutput, ProviderRefused, ProviderUnavailable

URL = f"{OPENAI_URL}/chat/completions"
MESSAGES = [system("You are terse."), user("Say hello.")]


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int
    reason: str


def make(client: httpx.AsyncClient, options: ClientOptions) -> OpenAICompatible:
    return OpenAICompatible(client, OPENAI_URL + "/", "sk-test", "gpt-4o-mini", options=options)


async def test_complete_sends_the_request_and_reads_text_usage_and_cost(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(return_value=httpx.Response(200, json=openai_answer("Hello there.")))
    completion = await make(client, options).complete(MESSAGES, max_tokens=50, temperature=0.2)

    sent = route.calls.last.request
    assert sent.headers["authorization"] == "Bearer sk-test"
    body = json.loads(sent.content)
    assert body["model"] == "gpt-4o-mini"
    assert body["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Say hello."},
    ]
    assert body["max_tokens"] == 50 and body["temperature"] == 0.2 and "stream" not in body
    assert completion.text == "Hello there."
    assert completion.model == "gpt-4o-mini-2024-07-18"
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (1200, 300)
    # the dated name is priced by the "gpt-4o-mini" entry: 1200 * 0.15 + 300 * 0.60 per million
    assert completion.usage.cost_usd == pytest.approx((1200 * 0.15 + 300 * 0.60) / 1_000_000)
    assert completion.stop_reason == "stop"


async def test_stream_yields_pieces_and_usage_after(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(
        return_value=httpx.Response(
            200,
            content=openai_stream("Yeah,", " that's", " it."),
            headers={"content-type": "text/event-stream"},
        )
    )
    stream = make(client, options).stream(MESSAGES)
    pieces = [piece async for piece in stream]

    body = json.loads(route.calls.last.request.content)
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert pieces == ["Yeah,", " that's", " it."]
    assert stream.completion is not None and stream.completion.text == "Yeah, that's it."
    assert stream.usage is not None and (stream.usage.input_tokens, stream.usage.output_tokens) == (400, 12)


async def test_429_with_retry_after_seconds_waits_that_long_then_succeeds(
    client: httpx.AsyncClient, options: ClientOptions, clock: ManualClock, router: respx.MockRouter
) -> None:
    router.post(URL).mock(
        side_effect=[
            httpx.Response(
                429,
                headers={"retry-after": "7"},
                json={
                    "error": {
                        "message": "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3.",
                        "type": "requests",
                        "code": "rate_limit_exceeded",
                    }
                },
            ),
            httpx.Response(200, json=openai_answer("ok")),
        ]
    )
    completion = await make(client, options).complete(MESSAGES)
    assert completion.text == "ok"
    assert clock.sleeps == [7.0]


async def test_retry_after_as_http_date(
    client: httpx.AsyncClient, options: ClientOptions, clock: ManualClock, router: respx.MockRouter
) -> None:
    when = datetime.fromtimestamp(clock.wall + 4, tz=UTC)
    router.post(URL).mock(
        side_effect=[
            httpx.Response(503, headers={"retry-after": format_datetime(when, usegmt=True)}),
            httpx.Response(200, json=openai_answer("ok")),
        ]
    )
    await make(client, options).complete(MESSAGES)
    assert clock.sleeps == [pytest.approx(4.0)]


async def test_retry_after_beyond_the_budget_is_not_waited_for(
    client: httpx.AsyncClient, options: ClientOptions, clock: ManualClock, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(return_value=httpx.Response(429, headers={"retry-after": "120"}))
    with pytest.raises(ProviderUnavailable):
        await make(client, options).complete(MESSAGES)
    assert route.call_count == 1 and clock.sleeps == []


async def test_repeated_500s_retry_with_backoff_then_unavailable(
    client: httpx.AsyncClient, options: ClientOptions, clock: ManualClock, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(return_value=httpx.Response(500, json={"error": {"message": "boom"}}))
    with pytest.raises(ProviderUnavailable, match="HTTP 500"):
        await make(client, options).complete(MESSAGES)
    assert route.call_count == 3  # the call and two retries
    assert clock.sleeps == [0.5 * 0.75, 1.0 * 0.75]  # base * 2**attempt, jitter factor 0.75


async def test_a_timeout_is_retried_once_only(
    client: httpx.AsyncClient, options: ClientOptions, clock: ManualClock, router: respx.MockRouter
) -> None:
    # A server that timed out twice will likely time out again: a third wait is not worth a turn.
    route = router.post(URL).mock(side_effect=httpx.ConnectTimeout("timed out"))
    with pytest.raises(ProviderUnavailable, match="timed out"):
        await make(client, options).complete(MESSAGES)
    assert route.call_count == 2 and len(clock.sleeps) == 1


async def test_a_read_timeout_then_success(
    client: httpx.AsyncClient, options: ClientOptions, clock: ManualClock, router: respx.MockRouter
) -> None:
    router.post(URL).mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json=openai_answer("hi"))]
    )
    assert (await make(client, options).complete(MESSAGES)).text == "hi"
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (
            429,
            {
                "message": "You exceeded your current quota, please check your plan and billing details.",
                "type": "insufficient_quota",
                "code": "insufficient_quota",
            },
        ),
        (
            401,
            {
                "message": "Incorrect API key provided.",
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            },
        ),
        (402, {"message": "Payment required"}),
        (403, {"message": "Forbidden"}),
    ],
)
async def test_quota_billing_and_auth_are_refused_without_retry(
    client: httpx.AsyncClient,
    options: ClientOptions,
    clock: ManualClock,
    router: respx.MockRouter,
    status: int,
    error: dict[str, str],
) -> None:
    route = router.post(URL).mock(return_value=httpx.Response(status, json={"error": error}))
    with pytest.raises(ProviderRefused):
        await make(client, options).complete(MESSAGES)
    assert route.call_count == 1 and clock.sleeps == []


async def test_refusal_field_is_bad_output(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    router.post(URL).mock(
        return_value=httpx.Response(
            200, json=openai_answer(None, refusal="I'm sorry, I can't help with that.")
        )
    )
    with pytest.raises(ProviderBadOutput, match="refused"):
        await make(client, options).complete(MESSAGES)


async def test_content_filter_is_bad_output(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    router.post(URL).mock(return_value=httpx.Response(200, json=openai_answer("", finish="content_filter")))
    with pytest.raises(ProviderBadOutput):
        await make(client, options).complete(MESSAGES)


async def test_truncated_stream_is_unavailable(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    router.post(URL).mock(
        return_value=httpx.Response(200, content=openai_stream("Yeah,", " that", done=False))
    )
    stream = make(client, options).stream(MESSAGES)
    received = []
    with pytest.raises(ProviderUnavailable, match="truncated"):
        async for piece in stream:
            received.append(piece)
    assert received == ["Yeah,", " that"]  # what had arrived was delivered; no retry duplicated it


async def test_connection_lost_mid_stream_is_unavailable(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    body = sse((None, openai_chunk(role=True)), (None, openai_chunk("Yeah,")))
    route = router.post(URL).mock(return_value=httpx.Response(200, stream=BreakingStream(body)))
    stream = make(client, options).stream(MESSAGES)
    with pytest.raises(ProviderUnavailable):
        _ = [piece async for piece in stream]
    assert route.call_count == 1


async def test_stream_failing_before_any_text_is_retried(
    client: httpx.AsyncClient, options: ClientOptions, clock: ManualClock, router: respx.MockRouter
) -> None:
    router.post(URL).mock(
        side_effect=[
            httpx.Response(503, json={"error": {"message": "overloaded"}}),
            httpx.Response(200, content=openai_stream("Hi.")),
        ]
    )
    pieces = [piece async for piece in make(client, options).stream(MESSAGES)]
    assert pieces == ["Hi."] and len(clock.sleeps) == 1


async def test_stream_refusal_is_bad_output(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    body = sse(
        (None, openai_chunk(role=True)), (None, openai_chunk(finish="content_filter")), (None, "[DONE]")
    )
    router.post(URL).mock(return_value=httpx.Response(200, content=body))
    with pytest.raises(ProviderBadOutput):
        _ = [piece async for piece in make(client, options).stream(MESSAGES)]


async def test_structured_sends_json_schema_and_validates(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(
        return_value=httpx.Response(200, json=openai_answer('{"score": 2, "reason": "fair"}'))
    )
    verdict, usage = await make(client, options).structured(MESSAGES, Verdict)
    body = json.loads(route.calls.last.request.content)
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "Verdict"
    assert body["response_format"]["json_schema"]["schema"]["properties"]["score"]["type"] == "integer"
    assert verdict == Verdict(score=2, reason="fair")
    assert usage.input_tokens == 1200


async def test_structured_malformed_json_then_good_answer_on_reask(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(
        side_effect=[
            httpx.Response(200, json=openai_answer('{"score": 2, "reason": ')),
            httpx.Response(200, json=openai_answer('{"score": 3, "reason": "clear"}')),
        ]
    )
    verdict, usage = await make(client, options).structured(MESSAGES, Verdict)
    assert verdict.score == 3
    reask = json.loads(route.calls.last.request.content)["messages"]
    assert reask[-2] == {"role": "assistant", "content": '{"score": 2, "reason": '}
    assert "not valid JSON" in reask[-1]["content"]
    assert usage.input_tokens == 2400  # both calls counted


async def test_structured_invalid_twice_is_bad_output(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    router.post(URL).mock(return_value=httpx.Response(200, json=openai_answer('{"score": "high"}')))
    with pytest.raises(UnusableAnswer) as raised:
        await make(client, options).structured(MESSAGES, Verdict)
    assert isinstance(raised.value, ProviderBadOutput)
    assert raised.value.usage.output_tokens == 600


async def test_server_without_json_schema_falls_back_to_instructions(
    client: httpx.AsyncClient, options: ClientOptions, router: respx.MockRouter
) -> None:
    route = router.post(URL).mock(
        side_effect=[
            httpx.Response(
                400,
                json={
                    "error": {
                        "message": "Unsupported parameter: response_format",
                        "type": "invalid_request_error",
                    }
                },
            ),
            httpx.Response(200, json=openai_answer('```json\n{"score": 1, "reason": "thin"}\n```')),
        ]
    )
    model = make(client, options)
    verdict, _ = await model.structured(MESSAGES, Verdict)
    assert verdict.score == 1
    second = json.loads(route.calls.last.request.content)
    assert "response_format" not in second
    assert "JSON Schema" in second["messages"][0]["content"]
