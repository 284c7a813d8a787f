"""The SSE parser takes the body in whatever chunks the network cuts it into."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from trainer.llm.sse import SSEEvent, sse_events

BODY = (
    ": a comment the server sends to keep the line open\r\n"
    "event: message_start\r\n"
    'data: {"a": 1}\r\n'
    "\r\n"
    "data: first line\r\n"
    "data: second line\r\n"
    "\r\n"
    "event: ping\r\n"
    "\r\n"
    "data: [DONE]"
)
EXPECTED = [
    SSEEvent("message_start", '{"a": 1}'),
    SSEEvent("message", "first line\nsecond line"),
    SSEEvent("message", "[DONE]"),
]


async def _chunks(text: str, size: int) -> AsyncIterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


async def _events(text: str, size: int) -> list[SSEEvent]:
    return [event async for event in sse_events(_chunks(text, size))]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 16, 1000])
async def test_events_are_the_same_however_the_body_is_cut(size: int) -> None:
    assert await _events(BODY, size) == EXPECTED


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"])
async def test_every_kind_of_line_break_frames_events(newline: str) -> None:
    body = BODY.replace("\r\n", newline)
    assert await _events(body, 4) == EXPECTED


async def test_an_event_without_data_is_skipped_and_a_space_after_the_colon_is_optional() -> None:
    assert await _events("event: ping\n\ndata:x\n\n", 3) == [SSEEvent("message", "x")]
