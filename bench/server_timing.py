"""ASGI middleware that reports a server's own handling time: ``Server-Timing: app;dur=<ms>``.

The time runs from the request reaching the app to the response's first byte (for a plain turn, the
whole turn; for a stream, the time to its headers). The benchmark apps wrap themselves in it so the
app under test stays unchanged.
"""

from __future__ import annotations

import time
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]


class ServerTiming:
    """ASGI middleware: ``Server-Timing: app;dur=...`` on each HTTP response start."""

    def __init__(self, app: Any) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={elapsed_ms:.3f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self._app(scope, receive, timed_send)
