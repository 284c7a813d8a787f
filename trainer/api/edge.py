"""The input edge: what every request must be before any handler, database or parser sees it.

One rule for both databases (PostgreSQL cannot store a NUL character; SQLite can, silently): text
that reaches the trainer is valid Unicode without control characters other than tab, line feed and
carriage return. ``InputEdgeMiddleware`` checks, in the raw ASGI request:

- the path and the query string: a NUL or other control character is a 422 naming the part;
- a JSON body: valid UTF-8 (else 400), at most ``MAX_JSON_DEPTH`` levels of arrays and objects
  (else 400), and no control character or lone surrogate in any key or string (else a 422 naming the
  field, e.g. ``reply`` or ``scenarios[1]``);
- a form body: valid UTF-8 and no control character in any field (else a 422 naming it).

So a reply with a NUL is refused the same way on SQLite and PostgreSQL, and nothing is removed
quietly. Bodies larger than the app's limit are passed on untouched: Litestar answers them 413.
The body, once read, is handed to the app unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from trainer.api.problems import PROBLEM_JSON, TYPE_PREFIX, FieldProblem, Problem
from trainer.vocabulary.limits import CONTROL_CHARACTERS

MAX_JSON_DEPTH = 32
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_CONTROL = CONTROL_CHARACTERS  # the one rule (trainer.vocabulary.limits)
_JSON_MEDIA = re.compile(r"^application/(?:[\w.+-]+\+)?json$")
_FORM_MEDIA = "application/x-www-form-urlencoded"


class RefusedInput(Exception):
    """The request cannot be served as sent: its problem (a 400 or a 422)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def _bad_request(detail: str) -> RefusedInput:
    return RefusedInput(
        Problem(type=TYPE_PREFIX + "bad-request", title="Bad request", status=400, detail=detail)
    )


def _invalid_field(field: str, source: str) -> RefusedInput:
    message = "must not contain NUL or other control characters"
    return RefusedInput(
        Problem(
            type=TYPE_PREFIX + "validation",
            title="Invalid request",
            status=422,
            detail=f"Invalid request: {field}: {message}",
            errors=[FieldProblem(field=field, message=message, source=source)],
        )
    )


def _join(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every key and string in a decoded JSON value with where it is, without recursion."""
    stack: list[tuple[str, Any]] = [(where, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            yield path or "body", item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield _join(path, key) or "body", key
                stack.append((_join(path, key), child))
        elif isinstance(item, list):
            stack.extend((_join(path, index), child) for index, child in enumerate(item))


def json_depth_exceeds(raw: str, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit`` (brackets inside strings do not count)."""
    depth = 0
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def check_json(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad_request("The request body is not valid UTF-8") from None
    openers = text.count("[") + text.count("{")
    if openers > MAX_JSON_DEPTH and json_depth_exceeds(text, MAX_JSON_DEPTH):
        raise _bad_request(f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return  # not JSON: the handler's own parser answers it (a 400)
    for field, string in _strings(value):
        if has_control(string):
            raise _invalid_field(field, "body")


def check_form(body: bytes) -> None:
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise _bad_request("The form body is not valid UTF-8") from None
    for name, value in pairs:
        if has_control(name) or has_control(value):
            raise _invalid_field(name if not has_control(name) else "form", "body")


def check_query(query: bytes) -> None:
    try:
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise _bad_request("The query string is not valid UTF-8") from None
    for name, value in pairs:
        if has_control(name) or has_control(value):
            raise _invalid_field(name if not has_control(name) else "query", "query")


def check_path(scope: Scope) -> None:
    raw = scope.get("raw_path")
    # Some servers and test clients leave the query string on raw_path; it is checked on its own.
    path = (
        unquote_to_bytes(raw.split(b"?", 1)[0])
        if isinstance(raw, bytes)
        else str(scope.get("path", "")).encode()
    )
    try:
        text = path.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad_request("The path is not valid UTF-8") from None
    if has_control(text) or has_control(str(scope.get("path", ""))):
        raise _invalid_field("path", "path")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def media_type(scope: Scope) -> str:
    return _header(scope, b"content-type").split(";", 1)[0].strip().lower()


class InputEdgeMiddleware:
    """Refuses unreadable or control-character input before the app runs (see the module's doc)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        try:
            check_path(scope)
            check_query(bytes(scope.get("query_string", b"")))
        except RefusedInput as refused:
            await _send_problem(scope, send, refused.problem)
            return
        kind = media_type(scope)
        checker = check_json if _JSON_MEDIA.match(kind) else check_form if kind == _FORM_MEDIA else None
        if checker is None or scope.get("method") not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body, messages, complete = await _read_body(receive, self.max_body_bytes)
        if complete:
            try:
                checker(body)
            except RefusedInput as refused:
                await _send_problem(scope, send, refused.problem)
                return
        await self.app(scope, _replay(messages, receive), send)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, list[ReceiveMessage], bool]:
    """The body's messages (to replay) and the body, if it ended within ``limit`` bytes."""
    messages: list[ReceiveMessage] = []
    size = 0
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return b"", messages, False
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        if size > limit:
            return b"", messages, False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), messages, True


def _replay(messages: list[ReceiveMessage], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> ReceiveMessage:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


async def _send_problem(scope: Scope, send: Send, problem: Problem) -> None:
    problem.instance = _printable_path(scope)
    body = problem.model_dump_json(exclude_none=True).encode()
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _printable_path(scope: Scope) -> str:
    return _CONTROL.sub("", str(scope.get("path", "")).encode("utf-8", "replace").decode("utf-8", "replace"))


_PARAMETER_TYPE = re.compile(r"\{(\w+):\w+\}")


async def accurate_allow_header(message: Message, scope: Scope) -> None:
    """``before_send`` hook: an ``OPTIONS`` answer lists every method of its path.

    Litestar builds the ``Allow`` header of a path from the first handler registered on it, so a
    path served by two handlers (``GET`` and ``POST /v1/sessions``) would list only one method.
    """
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    app = scope.get("app")
    template = scope.get("path_template")
    if app is None or template is None:
        return
    methods: dict[str, set[str]] | None = getattr(app.state, "_methods_by_path", None)
    if methods is None:
        methods = {}
        for route in app.routes:
            # The scope's template names a parameter without its type: {scenario_id}, not {scenario_id:str}.
            template_of_route = _PARAMETER_TYPE.sub(r"{\1}", route.path)
            methods.setdefault(template_of_route, set()).update(getattr(route, "methods", ()))
        app.state._methods_by_path = methods
    allowed = methods.get(str(template))
    if allowed:
        MutableScopeHeaders.from_message(message)["Allow"] = ", ".join(sorted(allowed))
