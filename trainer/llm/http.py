"""What the HTTP clients share: timeouts, retries, the breaker, error mapping, SSE streaming.

A provider subclass says how to build a request body and how to read an answer or a stream; this
base turns every failure into the ``ProviderError`` tree:

- transport errors, timeouts, 408/409/429/5xx/529 are retried with backoff (``Retry-After``
  honoured), then ``ProviderUnavailable``; so are a stream that breaks before any text arrived;
- 401/402/403 and quota or billing messages are ``ProviderRefused`` at once (never retried);
- a refusal, or an answer that cannot be read, is ``ProviderBadOutput``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import BaseModel

from trainer.errors import ProviderBadOutput, ProviderError, ProviderRefused, ProviderUnavailable
from trainer.llm.pricing import PriceTable
from trainer.llm.resilience import CircuitBreaker, Clock, RetryPolicy, SystemClock, parse_retry_after
from trainer.llm.sse import SSEEvent, sse_events
from trainer.llm.structured import ask_structured, with_json_instructions
from trainer.llm.types import ChatMessage, ChatStream, Completion, ModelUsage, SchemaT

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({408, 409, 429})
_QUOTA_OR_BILLING = re.compile(
    r"insufficient_quota|exceeded your current quota|billing|credit balance|payment required", re.IGNORECASE
)


class RequestRejected(ProviderRefused):
    """The provider rejected the request itself (4xx); retrying the same request will not help."""

    def __init__(self, detail: str, status: int, message: str) -> None:
        super().__init__(detail)
        self.status = status
        self.message = message


class _Retryable(Exception):
    def __init__(self, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


@dataclass(frozen=True)
class ClientOptions:
    """Per-call limits and the shared machinery; ``breaker`` is shared by clients of one provider."""

    connect_timeout: float = 3.0
    timeout: float = 20.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    prices: PriceTable = field(default_factory=PriceTable)
    clock: Clock = field(default_factory=SystemClock)
    breaker: CircuitBreaker | None = None
    # Calls in flight at once, shared by the clients of one worker (None: no limit). Past it, a call
    # waits for a slot, within its own time limit: the HTTP pool's work per request grows with the
    # connections it holds, so an unbounded pool turns a burst into a pile-up.
    slots: asyncio.Semaphore | None = None


@dataclass(frozen=True)
class ParsedAnswer:
    text: str
    model: str | None
    input_tokens: int
    output_tokens: int
    stop_reason: str | None


@dataclass
class StreamTally:
    """What a stream has delivered so far; the provider's parser fills it in."""

    parts: list[str] = field(default_factory=list)
    model: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    stop_reason: str | None = None

    @property
    def sent(self) -> bool:
        return any(self.parts)


def error_message(response: httpx.Response) -> str:
    """The provider's own short error message (both APIs put it at ``error.message``)."""
    try:
        payload = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict):
            parts = [str(error.get(key)) for key in ("type", "code", "message") if error.get(key)]
            return ": ".join(parts)[:300]
        if isinstance(error, str):
            return error[:300]
    return response.text[:200]


class HTTPChatModel(ABC):
    provider: str = "http"

    def __init__(self, client: httpx.AsyncClient, model: str, options: ClientOptions | None = None) -> None:
        self._client = client
        self._model = model
        self._options = options or ClientOptions()
        self._clock = self._options.clock
        self._breaker = self._options.breaker or CircuitBreaker(self.provider, 5, 30.0, self._clock)
        self._httpx_timeout = httpx.Timeout(self._options.timeout, connect=self._options.connect_timeout)
        self._native_schema = True
        self._slots: contextlib.AbstractAsyncContextManager[Any] = (
            self._options.slots if self._options.slots is not None else contextlib.nullcontext()
        )

    @property
    def name(self) -> str:
        return self._model

    @property
    def breaker(self) -> CircuitBreaker:
        return self._breaker

    # What a provider says -------------------------------------------------------------------------

    @abstractmethod
    def _url(self) -> str: ...

    @abstractmethod
    def _headers(self) -> dict[str, str]: ...

    @abstractmethod
    def _body(
        self,
        messages: Sequence[ChatMessage],
        max_tokens: int,
        temperature: float,
        *,
        stream: bool,
        schema: type[BaseModel] | None,
    ) -> dict[str, Any]: ...

    @abstractmethod
    def _parse_answer(self, payload: Any, schema: type[BaseModel] | None) -> ParsedAnswer: ...

    @abstractmethod
    def _parse_stream(self, events: AsyncIterator[SSEEvent], tally: StreamTally) -> AsyncIterator[str]:
        """Text pieces; raises ProviderUnavailable when the stream ends without its end marker."""
        ...

    def _schema_unsupported(self, rejected: RequestRejected) -> bool:
        """The server rejected native structured output: fall back to schema instructions."""
        return False

    # ChatModel ------------------------------------------------------------------------------------

    async def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> Completion:
        body = self._body(messages, max_tokens, temperature, stream=False, schema=None)
        return await self._complete(body, None)

    def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> ChatStream:
        body = self._body(messages, max_tokens, temperature, stream=True, schema=None)
        return ChatStream(lambda stream: self._stream_source(stream, body))

    async def structured(
        self,
        messages: Sequence[ChatMessage],
        schema: type[SchemaT],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.0,
    ) -> tuple[SchemaT, ModelUsage]:
        async def ask(attempt: Sequence[ChatMessage]) -> tuple[str, ModelUsage]:
            if self._native_schema:
                body = self._body(attempt, max_tokens, temperature, stream=False, schema=schema)
                try:
                    completion = await self._complete(body, schema)
                    return completion.text, completion.usage
                except RequestRejected as rejected:
                    if not self._schema_unsupported(rejected):
                        raise
                    logger.info("%s: server rejects JSON-schema output; using instructions", self.provider)
                    self._native_schema = False
            body = self._body(
                with_json_instructions(attempt, schema), max_tokens, temperature, stream=False, schema=None
            )
            completion = await self._complete(body, None)
            return completion.text, completion.usage

        return await ask_structured(ask, messages, schema)

    # Machinery ------------------------------------------------------------------------------------

    def _usage(
        self, reported: str | None, input_tokens: int, output_tokens: int, latency_ms: float
    ) -> ModelUsage:
        model = reported or self._model
        priced = model if self._options.prices.price(model) else self._model
        return ModelUsage(
            model=model,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost_usd=self._options.prices.cost(priced, input_tokens, output_tokens),
            latency_ms=latency_ms,
        )

    def _status_error(self, response: httpx.Response) -> Exception:
        status = response.status_code
        message = error_message(response)
        where = f"{self.provider} {self._model}: HTTP {status}"
        if status in (401, 403):
            return RequestRejected(f"{where}: not authorised", status, message)
        if status == 402 or _QUOTA_OR_BILLING.search(message):
            return RequestRejected(f"{where}: quota or billing: {message}", status, message)
        if status in RETRYABLE_STATUSES or status >= 500:
            return _Retryable(f"{where}: {message}", parse_retry_after(response.headers, self._clock.time()))
        return RequestRejected(f"{where}: {message}", status, message)

    def _next_delay(self, attempt: int, failure: _Retryable) -> float | None:
        if attempt >= self._options.retry.max_retries:
            return None
        return self._options.retry.delay(attempt, failure.retry_after)

    async def _post_once(self, body: dict[str, Any]) -> Any:
        try:
            async with asyncio.timeout(self._options.timeout), self._slots:
                response = await self._client.post(
                    self._url(), json=body, headers=self._headers(), timeout=self._httpx_timeout
                )
        except (httpx.TimeoutException, TimeoutError) as error:
            raise _Retryable(f"{self.provider} {self._model}: timed out ({type(error).__name__})") from error
        except httpx.TransportError as error:
            raise _Retryable(f"{self.provider} {self._model}: {type(error).__name__}") from error
        if response.status_code >= 300:
            raise self._status_error(response)
        try:
            return response.json()
        except ValueError as error:
            raise ProviderBadOutput(f"{self.provider} {self._model}: the answer is not JSON") from error

    async def _complete(self, body: dict[str, Any], schema: type[BaseModel] | None) -> Completion:
        started = self._clock.monotonic()
        payload = await self._guarded(body)
        answer = self._parse_answer(payload, schema)
        latency_ms = (self._clock.monotonic() - started) * 1000
        return Completion(
            text=answer.text,
            usage=self._usage(answer.model, answer.input_tokens, answer.output_tokens, latency_ms),
            stop_reason=answer.stop_reason,
        )

    async def _guarded(self, body: dict[str, Any]) -> Any:
        """One call through the breaker, with retries."""
        probe = self._breaker.acquire()
        settled = False
        try:
            for attempt in itertools.count():
                try:
                    payload = await self._post_once(body)
                except _Retryable as failure:
                    delay = self._next_delay(attempt, failure)
                    if delay is None:
                        raise ProviderUnavailable(failure.detail) from None
                    logger.debug("%s: retry %d in %.2fs: %s", self.provider, attempt + 1, delay, failure)
                    await self._clock.sleep(delay)
                    continue
                self._breaker.record_success()
                settled = True
                return payload
        except ProviderUnavailable:
            self._breaker.record_failure()
            settled = True
            raise
        except ProviderError:
            self._breaker.record_success()  # the provider answered; it is up
            settled = True
            raise
        finally:
            if probe and not settled:
                self._breaker.release_probe()
        raise AssertionError("unreachable")  # pragma: no cover

    async def _stream_source(self, stream: ChatStream, body: dict[str, Any]) -> AsyncGenerator[str, None]:
        probe = self._breaker.acquire()
        settled = False
        started = self._clock.monotonic()
        try:
            for attempt in itertools.count():
                tally = StreamTally()
                try:
                    async for piece in self._stream_once(body, tally):
                        yield piece
                except _Retryable as failure:
                    delay = self._next_delay(attempt, failure)
                    if delay is None:
                        raise ProviderUnavailable(failure.detail) from None
                    await self._clock.sleep(delay)
                    continue
                break
            latency_ms = (self._clock.monotonic() - started) * 1000
            stream.completion = Completion(
                text="".join(tally.parts),
                usage=self._usage(tally.model, tally.input_tokens, tally.output_tokens, latency_ms),
                stop_reason=tally.stop_reason,
            )
            self._breaker.record_success()
            settled = True
        except ProviderUnavailable:
            self._breaker.record_failure()
            settled = True
            raise
        except ProviderError:
            self._breaker.record_success()
            settled = True
            raise
        finally:
            if probe and not settled:
                self._breaker.release_probe()

    async def _stream_once(self, body: dict[str, Any], tally: StreamTally) -> AsyncIterator[str]:
        """One streamed attempt; failures before any text are retryable, after it they are final."""
        deadline = self._clock.monotonic() + self._options.timeout
        request = self._client.build_request(
            "POST", self._url(), json=body, headers=self._headers(), timeout=self._httpx_timeout
        )
        try:
            async with contextlib.AsyncExitStack() as held:  # unwinds: the response, then the slot
                async with asyncio.timeout(self._options.timeout):
                    await held.enter_async_context(self._slots)
                    response = await self._client.send(request, stream=True)
                held.push_async_callback(response.aclose)
                if response.status_code >= 300:
                    await response.aread()
                    raise self._status_error(response)
                events = sse_events(self._timed_chunks(response, deadline))
                async for piece in self._parse_stream(events, tally):
                    if piece:
                        tally.parts.append(piece)
                        yield piece
        except (httpx.TimeoutException, httpx.TransportError, TimeoutError, ProviderUnavailable) as error:
            detail = str(error) if isinstance(error, ProviderUnavailable) else type(error).__name__
            detail = f"{self.provider} {self._model}: stream failed: {detail}"
            if tally.sent:
                raise ProviderUnavailable(detail) from error
            raise _Retryable(detail) from error

    async def _timed_chunks(self, response: httpx.Response, deadline: float) -> AsyncIterator[str]:
        """The body's text as it arrives, each read bounded by what is left of the call's time."""
        chunks = response.aiter_text()
        while True:
            remaining = deadline - self._clock.monotonic()
            if remaining <= 0:
                raise TimeoutError("the stream ran past the call's time limit")
            try:
                async with asyncio.timeout(remaining):
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                return
            yield chunk
