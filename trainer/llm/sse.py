"""Server-sent events, as both providers stream them: ``event:`` / ``data:`` lines, blank-line framed.

The parser reads the body in the chunks the network delivers (usually one event each) rather than
line by line: a streamed reply is dozens of small events, and every await per line costs CPU.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass


@dataclass(frozen=True)
class SSEEvent:
    event: str
    data: str


def _event_of(block: str) -> SSEEvent | None:
    """One event from the lines between two blank lines; None when it carries no data."""
    event = ""
    data: list[str] = []
    for line in block.split("\n"):
        if not line or line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            event = value
        elif name == "data":
            data.append(value)
    if not data:
        return None
    return SSEEvent(event or "message", "\n".join(data))


async def sse_events(chunks: AsyncIterator[str]) -> AsyncIterator[SSEEvent]:
    """The events in a body that arrives as text ``chunks`` cut anywhere (even inside a CRLF)."""
    buffer = ""
    held_cr = ""
    async for chunk in chunks:
        text = held_cr + chunk
        # A CR at the end of a chunk may be the first half of a CRLF: wait for the next chunk.
        held_cr = "\r" if text.endswith("\r") else ""
        if held_cr:
            text = text[:-1]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        buffer += text
        while (end := buffer.find("\n\n")) >= 0:
            block, buffer = buffer[:end], buffer[end + 2 :]
            if (found := _event_of(block)) is not None:
                yield found
    if (found := _event_of(buffer)) is not None:
        yield found
