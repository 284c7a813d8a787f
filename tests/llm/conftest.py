"""Shared pieces for the model tests: a manual clock, one shared client, realistic provider bodies."""

from __future__ import annotations

import json
import ssl
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import respx

from trainer.llm.http import ClientOptions
from trainer.llm.pricing import PriceTable
from trainer.llm.resilience import CircuitBreaker, RetryPolicy
from trainer.llm.structured import schema_name
from trainer.safety.model_check import RiskAnswer

OPENAI_URL = "http://models.test/v1"
ANTHROPIC_URL = "https://anthropic.test"


class ManualClock:
    """Time that moves only when the code under test sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.wall = 1_700_000_000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.wall

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.wall += seconds


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def options(clock: ManualClock) -> ClientOptions:
    return make_options(clock)


def make_options(clock: ManualClock, *, retries: int = 2, breaker_failures: int = 5) -> ClientOptions:
    return ClientOptions(
        connect_timeout=1.0,
        timeout=5.0,
        retry=RetryPolicy(
            max_retries=retries, base_delay=0.5, max_delay=4.0, max_retry_after=10.0, jitter=lambda: 0.5
        ),
        prices=PriceTable({"gpt-4o-mini": (0.15, 0.60), "claude-3-5-haiku": (0.80, 4.00)}),
        clock=clock,
        breaker=CircuitBreaker("test", breaker_failures, 30.0, clock),
    )


@pytest.fixture(scope="session")
def tls() -> ssl.SSLContext:
    """Loading the CA bundle is the slow part of making a client; do it once."""
    return ssl.create_default_context()


@pytest.fixture
async def client(tls: ssl.SSLContext) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(verify=tls) as shared:
        yield shared


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mocked:
        yield mocked


def sse(*events: tuple[str | None, Any]) -> bytes:
    """Server-sent events: (event name or None, data as JSON-able or a raw string)."""
    frames = []
    for name, data in events:
        payload = data if isinstance(data, str) else json.dumps(data)
        frames.append((f"event: {name}\n" if name else "") + f"data: {payload}\n\n")
    return "".join(frames).encode()


def openai_answer(
    content: str | None,
    *,
    finish: str = "stop",
    refusal: str | None = None,
    model: str = "gpt-4o-mini-2024-07-18",
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-AbC123",
        "object": "chat.completion",
        "created": 1731000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "logprobs": None,
                "finish_reason": finish,
            }
        ],
        "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500},
        "system_fingerprint": "fp_0ba0d124f1",
    }


def asks_safety_check(body: dict[str, Any]) -> bool:
    """Whether a provider request is the model's safety check (``trainer.safety.model_check``): by its
    answer schema's name, or by its system prompt when the schema is not sent by name."""
    named = (body.get("response_format") or {}).get("json_schema", {}).get("name")
    if named is not None:
        return bool(named == schema_name(RiskAnswer))
    system = body.get("system") or (body.get("messages") or [{}])[0].get("content", "")
    return "listening practice app" in json.dumps(system)


def safety_check_answer(risk: str = "none") -> dict[str, Any]:
    """An OpenAI answer of the safety check: one of "none", "self_harm", "harm_to_others", "abuse"."""
    answer = openai_answer(json.dumps({"risk": risk}))
    answer["usage"] = {"prompt_tokens": 310, "completion_tokens": 6, "total_tokens": 316}
    return answer


def openai_chunk(content: str | None = None, finish: str | None = None, role: bool = False) -> dict[str, Any]:
    delta: dict[str, Any] = {"role": "assistant", "content": ""} if role else {}
    if content is not None:
        delta["content"] = content
    return {
        "id": "chatcmpl-S1",
        "object": "chat.completion.chunk",
        "created": 1731000000,
        "model": "gpt-4o-mini-2024-07-18",
        "system_fingerprint": "fp_0ba0d124f1",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        "usage": None,
    }


def openai_stream(*pieces: str, done: bool = True) -> bytes:
    events: list[tuple[str | None, Any]] = [(None, openai_chunk(role=True))]
    events += [(None, openai_chunk(piece)) for piece in pieces]
    events.append((None, openai_chunk(finish="stop")))
    if done:
        events.append(
            (
                None,
                {
                    "id": "chatcmpl-S1",
                    "object": "chat.completion.chunk",
                    "created": 1731000000,
                    "model": "gpt-4o-mini-2024-07-18",
                    "choices": [],
                    "usage": {"prompt_tokens": 400, "completion_tokens": 12, "total_tokens": 412},
                },
            )
        )
        events.append((None, "[DONE]"))
    return sse(*events)


def anthropic_answer(content: list[dict[str, Any]], *, stop: str = "end_turn") -> dict[str, Any]:
    return {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "model": "claude-3-5-haiku-20241022",
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": 2000, "output_tokens": 250},
    }


def anthropic_stream(*pieces: str, stop: str = "end_turn", complete: bool = True) -> bytes:
    events: list[tuple[str | None, Any]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_1",
                    "type": "message",
                    "role": "assistant",
                    "content": [],
                    "model": "claude-3-5-haiku-20241022",
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 420, "output_tokens": 1},
                },
            },
        ),
        (
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        ),
        ("ping", {"type": "ping"}),
    ]
    events += [
        (
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}},
        )
        for piece in pieces
    ]
    if complete:
        events += [
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": stop, "stop_sequence": None},
                    "usage": {"output_tokens": 15},
                },
            ),
            ("message_stop", {"type": "message_stop"}),
        ]
    return sse(*events)


class BreakingStream(httpx.AsyncByteStream):
    """A response body that delivers some bytes and then loses the connection."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._body
        raise httpx.ReadError("connection reset by peer")
