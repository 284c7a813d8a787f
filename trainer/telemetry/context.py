"""The id of the request being served, for every log line written while serving it.

``RequestContextMiddleware`` sets it when a request comes in; ``RequestIdFilter`` (installed on the
one log handler by ``configure_logging``) copies it onto every record as ``request_id``. Work that a
request starts in a task (a streamed turn stored after the reply went out) inherits it, because
asyncio tasks copy the context they were created in.
"""

from __future__ import annotations

import logging
import re
import secrets
from contextvars import ContextVar, Token

REQUEST_ID_HEADER = "x-request-id"
# An id from the caller is kept when it is short and plain (it goes into logs and a header as is).
_ACCEPTED = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")

_request_id: ContextVar[str | None] = ContextVar("trainer_request_id", default=None)


def new_request_id() -> str:
    return secrets.token_hex(16)


def accepted_request_id(value: str | None) -> str:
    """The caller's id when it is acceptable, else a new one."""
    if value and _ACCEPTED.match(value):
        return value
    return new_request_id()


def current_request_id() -> str | None:
    return _request_id.get()


def bind_request_id(value: str | None) -> Token[str | None]:
    """Set the id for the current context; the token resets it (``reset_request_id``)."""
    return _request_id.set(value)


def reset_request_id(token: Token[str | None]) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record written while a request is being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True
