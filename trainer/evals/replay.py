"""Replay and recording of model calls at the HTTP boundary.

``ReplayServer`` answers ``POST {base}/chat/completions`` like an OpenAI-compatible server, from a
:class:`FixtureBook`, so the real clients run the whole way (prompt rendering, HTTP, JSON or SSE
parsing, validation, scoring) without a network. Which case a call belongs to travels in a context
variable that the runner sets around each case; the judge and the partner each get a client of
their own. A call with no answer, or whose request does not hash to the recorded hash, is answered
with an error and remembered in ``problems``: the runner turns those into a ``StaleFixtures``
error, because the judge would otherwise quietly degrade. The usage each answer reports is counted
from the request as rendered (``trainer.evals.tokens``).

``RecordingTransport`` wraps a real transport and keeps every exchange it sees as a fixture.
"""

from __future__ import annotations

import contextvars
import json
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from trainer.evals.fixtures import Exchange, FixtureBook, Role, request_hash
from trainer.evals.tokens import estimate_tokens, prompt_tokens
from trainer.vocabulary.errors import ContentError

REPLAY_BASE_URL = "http://replay.eval.invalid/v1"

current_case: contextvars.ContextVar[str | None] = contextvars.ContextVar("eval_case", default=None)


class StaleFixtures(ContentError):
    """Replay met a request its fixtures did not answer: the prompt or a case changed."""


@contextmanager
def case_scope(key: str) -> Iterator[None]:
    token = current_case.set(key)
    try:
        yield
    finally:
        current_case.reset(token)


class _Counter:
    """How many calls each (case, role) has made, so the n-th call gets the n-th answer."""

    def __init__(self) -> None:
        self._next: dict[tuple[str, Role], int] = defaultdict(int)

    def take(self, key: str, role: Role) -> int:
        order = self._next[(key, role)]
        self._next[(key, role)] = order + 1
        return order


class ReplayServer:
    """Answers chat-completion requests from fixtures; collects what it could not answer."""

    def __init__(self, book: FixtureBook, *, stamp: bool = False) -> None:
        self.book = book
        self.stamp = stamp
        self.problems: list[str] = []
        self.stamped: list[Exchange] = []
        self._counter = _Counter()

    def client(self, role: Role) -> httpx.AsyncClient:
        def handle(request: httpx.Request) -> httpx.Response:
            if request.method != "POST" or request.url != f"{REPLAY_BASE_URL}/chat/completions":
                return self._refuse(f"a call to {request.method} {request.url}")
            return self._answer(role, request)

        return httpx.AsyncClient(transport=httpx.MockTransport(handle))

    def _refuse(self, problem: str) -> httpx.Response:
        self.problems.append(problem)
        return httpx.Response(400, json={"error": {"message": f"replay: {problem}"}})

    def _answer(self, role: Role, request: httpx.Request) -> httpx.Response:
        body: dict[str, Any] = json.loads(request.content)
        key = current_case.get()
        if key is None:
            return self._refuse(f"a {role.value} call outside any eval case")
        order = self._counter.take(key, role)
        sent = request_hash(body)
        exchange = self.book.get(key, role, order)
        if exchange is None:
            return self._refuse(
                f"{key}: no recorded {role.value} answer #{order}; record it with `trainer eval --record`"
            )
        if not exchange.request_hash and self.stamp:
            exchange.request_hash = sent
            self.stamped.append(exchange)
        elif exchange.request_hash != sent:
            return self._refuse(
                f"{key}: the {role.value} request changed since its answer #{order} was recorded "
                f"(recorded {exchange.request_hash or 'no hash'}, now {sent}); re-record with "
                "`trainer eval --record`; for a hand-written answer, review that it is still the right "
                "answer under the changed prompt, rubric or schema, set its request_hash to \"\" in "
                "trainer/data/evals/fixtures and run `python -m trainer.evals.stamp`"
            )
        usage = {
            "prompt_tokens": prompt_tokens(body.get("messages") or [], body.get("response_format")),
            "completion_tokens": estimate_tokens(exchange.answer),
        }
        if body.get("stream"):
            return _sse_response(exchange, usage)
        return httpx.Response(200, json=_completion_payload(exchange, usage))


def _completion_payload(exchange: Exchange, usage: dict[str, int]) -> dict[str, Any]:
    return {
        "id": f"replay-{exchange.key}",
        "object": "chat.completion",
        "model": exchange.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": exchange.answer},
                "finish_reason": "stop",
            }
        ],
        "usage": usage,
    }


def _sse_response(exchange: Exchange, usage: dict[str, int]) -> httpx.Response:
    words = exchange.answer.split(" ")
    pieces = [word if index == 0 else " " + word for index, word in enumerate(words)]
    events: list[dict[str, Any]] = [
        {"model": exchange.model, "choices": [{"index": 0, "delta": {"content": piece}}]} for piece in pieces
    ]
    events.append({"model": exchange.model, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    events.append(
        {
            "model": exchange.model,
            "choices": [],
            "usage": usage,
        }
    )
    text = "".join(f"data: {json.dumps(event)}\n\n" for event in events) + "data: [DONE]\n\n"
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=text.encode("utf-8"))


class RecordingTransport(httpx.AsyncBaseTransport):
    """Forwards to a real OpenAI-compatible server and keeps each exchange as a fixture."""

    def __init__(self, inner: httpx.AsyncBaseTransport, role: Role) -> None:
        self._inner = inner
        self._role = role
        self.role = role
        self._counter = _Counter()
        self.recorded: list[Exchange] = []
        self.asked: str | None = None  # the model the calls named (replay asks the same)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        content = await response.aread()
        await response.aclose()
        replayable = httpx.Response(response.status_code, headers=response.headers, content=content)
        key = current_case.get()
        try:
            body: dict[str, Any] = json.loads(request.content)
        except ValueError:
            return replayable
        if key is None or response.status_code >= 300:
            return replayable
        answer, model = _read_answer(content, bool(body.get("stream")))
        self.asked = str(body.get("model"))
        self.recorded.append(
            Exchange(
                key=key,
                role=self._role,
                order=self._counter.take(key, self._role),
                request_hash=request_hash(body),
                model=model or str(body.get("model")),
                answer=answer,
                note="recorded",
            )
        )
        return replayable

    async def aclose(self) -> None:
        await self._inner.aclose()


def _read_answer(content: bytes, streamed: bool) -> tuple[str, str | None]:
    if not streamed:
        payload = json.loads(content)
        text = payload["choices"][0]["message"].get("content") or ""
        return text, payload.get("model")
    pieces: list[str] = []
    model: str | None = None
    for chunk in _sse_chunks(content.decode("utf-8")):
        model = chunk.get("model") or model
        for choice in chunk.get("choices") or []:
            text = (choice.get("delta") or {}).get("content")
            if isinstance(text, str):
                pieces.append(text)
    return "".join(pieces), model


def _sse_chunks(text: str) -> Iterator[dict[str, Any]]:
    for line in text.splitlines():
        data = line.removeprefix("data:").strip() if line.startswith("data:") else ""
        if data and data != "[DONE]":
            chunk = json.loads(data)
            if isinstance(chunk, dict):
                yield chunk
