"""The outermost layer of every HTTP request: its id, one access line, and its metrics.

``RequestContextMiddleware`` wraps the whole Litestar app (routing and error handling included), so
that a 404 for an unknown path or a 401 from the key check gets an ``X-Request-ID`` and an access
line too. The id is the caller's ``X-Request-ID`` when it is short and plain, else a new one; it is
bound for every log line written while the request is served (``trainer.telemetry.context``).

The access line (logger ``trainer.access``, INFO) holds the method, the route template, the status,
the duration and the API key's prefix: never the query string, a body or a reply.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from trainer.telemetry import metrics
from trainer.telemetry.context import (
    REQUEST_ID_HEADER,
    accepted_request_id,
    bind_request_id,
    reset_request_id,
)

access_logger = logging.getLogger("trainer.access")
UNMATCHED = "unmatched"
_HEADER = REQUEST_ID_HEADER.encode()


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _key_prefix(scope: Scope) -> str | None:
    user = scope.get("user")
    prefix = getattr(user, "key_prefix", None)
    return prefix if isinstance(prefix, str) else None


class RequestContextMiddleware:
    """Request id, access line and request metrics around ``app`` (HTTP only; lifespan passes)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        request_id = accepted_request_id(_header(scope, _HEADER))
        token = bind_request_id(request_id)
        started = time.perf_counter()
        status = 500
        raw_id = request_id.encode("latin-1")

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != _HEADER]
                headers.append((_HEADER, raw_id))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = str(scope.get("path_template") or UNMATCHED)
            method = str(scope.get("method", "GET"))
            metrics.observe_request(method, route, status, seconds)
            _log_access(scope, method, route, status, seconds)
            reset_request_id(token)


def _log_access(scope: Scope, method: str, route: str, status: int, seconds: float) -> None:
    if not access_logger.isEnabledFor(logging.INFO):
        return
    client = scope.get("client")
    fields: dict[str, Any] = {
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "key_prefix": _key_prefix(scope),
        "client": client[0] if client else None,
    }
    access_logger.info("%s %s %s", method, route, status, extra=fields)
