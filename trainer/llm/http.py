"""What the HTTP clients share: timeouts, retries, the breaker, error mapping, SSE streaming.

A provider subclass says how to build a request body and how to read an answer or a stream; this
base turns every failure into the ``ProviderError`` tree:

- transport errors, 408/409/429/5xx/529 are retried with backoff (``Retry-After`` honoured), then
  ``ProviderUnavailable``; so is a stream that breaks before any text arrived. A timeout is retried
  at most once, and no attempt starts that cannot end before the turn's deadline
  (``trainer.llm.deadline``); each attempt is bounded by what is left of it;
- 401, 403 and 404 are a ``ConfigurationFault`` (a wrong key, model or URL): the breaker opens at
  once with the fault, logged once at ERROR, until a later probe succeeds;
- a 400 that names a parameter the model does not take is learnt (``trainer.llm.shape``) and the
  call sent again at once, so the first call learns them all; any other 4xx, quota and billing
  included, is ``RequestRejected`` and counts as a failure for the breaker;
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

from trainer.llm.deadline import remaining
from trainer.llm.pricing import PriceTable
from trainer.llm.resilience import CircuitBreaker, Clock, RetryPolicy, SystemClock, parse_retry_after
from trainer.llm.shape import ProviderProblem, RequestShape, ShapeBook, adapt, problem_of
from trainer.llm.sse import SSEEvent, sse_events
from trainer.llm.structured import Answer, GenerationRejected, ask_structured
from trainer.llm.types import ChatMessage, ChatStream, Completion, ModelUsage, SchemaT
from trainer.vocabulary.errors import ProviderBadOutput, ProviderError, ProviderRefused, ProviderUnavailable

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({408, 409, 429})
CONFIGURATION_STATUSES = frozenset({401, 403, 404})
_QUOTA_OR_BILLING = re.compile(
    r"insufficient_quota|exceeded your current quota|billing|credit balance|payment required", re.IGNORECASE
)
_MAX_ADAPTATIONS = 4  # at most this many parameters learnt in one call
_MIN_ATTEMPT_SECONDS = 0.5  # no attempt starts with less of the deadline left


class RequestRejected(ProviderRefused):
    """The provider rejected the request itself (4xx); retrying the same request will not help."""

    def __init__(self, detail: str, problem: ProviderProblem) -> None:
        super().__init__(detail)
        self.problem = problem
        self.status = problem.status
        self.message = problem.summary


class ConfigurationFault(RequestRejected):
    """401, 403 or 404: the key, the model name or the base URL is wrong."""


class _Retryable(Exception):
    def __init__(self, detail: str, retry_after: float | None = None, *, timed_out: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after
        self.timed_out = timed_out


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
    # What each model was found to take, shared by the clients of one worker.
    shapes: ShapeBook = field(default_factory=ShapeBook)


@dataclass(frozen=True)
class Request:
    messages: tuple[ChatMessage, ...]
    max_tokens: int
    temperature: float
    stream: bool = False
    schema: type[BaseModel] | None = None


@dataclass(frozen=True)
class ParsedAnswer:
    text: str
    model: str | None
    input_tokens: int
    output_tokens: int
    stop_reason: str | None
    cached_input_tokens: int = 0


@dataclass
class StreamTally:
    """What a stream has delivered so far; the provider's parser fills it in."""

    parts: list[str] = field(default_factory=list)
    model: str | None = None
    input_tokens: int = 0
    cached_input_tokens: int = 0
    output_tokens: int = 0
    stop_reason: str | None = None

    @property
    def sent(self) -> bool:
        return any(self.parts)


class HTTPChatModel(ABC):
    provider: str = "http"

    def __init__(
        self, client: httpx.AsyncClient, model: str, options: ClientOptions | None = None, base_url: str = ""
    ) -> None:
        self._client = client
        self._model = model
        self._options = options or ClientOptions()
        self._clock = self._options.clock
        self._breaker = self._options.breaker or CircuitBreaker(self.provider, 5, 30.0, self._clock)
        self._shape: RequestShape = self._options.shapes.get(base_url, model)
        self._logged: set[str] = set()
        self._slots: contextlib.AbstractAsyncContextManager[Any] = (
            self._options.slots if self._options.slots is not None else contextlib.nullcontext()
        )

    @property
    def name(self) -> str:
        return self._model

    @property
    def breaker(self) -> CircuitBreaker:
        return self._breaker

    @property
    def shape(self) -> RequestShape:
        return self._shape

    # What a provider says -------------------------------------------------------------------------

    @abstractmethod
    def _url(self) -> str: ...

    @abstractmethod
    def _headers(self) -> dict[str, str]: ...

    @abstractmethod
    def _body(self, request: Request, shape: RequestShape) -> dict[str, Any]: ...

    @abstractmethod
    def _parse_answer(self, payload: Any, schema: type[BaseModel] | None) -> ParsedAnswer: ...

    @abstractmethod
    def _parse_stream(self, events: AsyncIterator[SSEEvent], tally: StreamTally) -> AsyncIterator[str]:
        """Text pieces; raises ProviderUnavailable when the stream ends without its end marker."""
        ...

    # ChatModel ------------------------------------------------------------------------------------

    async def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> Completion:
        return await self._complete(Request(tuple(messages), max_tokens, temperature))

    def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 512, temperature: float = 0.0
    ) -> ChatStream:
        request = Request(tuple(messages), max_tokens, temperature, stream=True)
        return ChatStream(lambda stream: self._stream_source(stream, request))

    async def structured(
        self,
        messages: Sequence[ChatMessage],
        schema: type[SchemaT],
        *,
        max_tokens: int = 1024,
        temperature: float = 0.0,
    ) -> tuple[SchemaT, ModelUsage]:
        async def ask(attempt: Sequence[ChatMessage], budget: int) -> Answer:
            completion = await self._complete(Request(tuple(attempt), budget, temperature, schema=schema))
            return Answer(completion.text, completion.usage, completion.stop_reason)

        return await ask_structured(ask, messages, schema, max_tokens, self._model)

    # Machinery ------------------------------------------------------------------------------------

    def _usage(
        self, reported: str | None, input_tokens: int, cached: int, output_tokens: int, latency_ms: float
    ) -> ModelUsage:
        model = reported or self._model
        priced = model if self._options.prices.price(model) else self._model
        return ModelUsage(
            model=model,
            input_tokens=input_tokens,
            cached_input_tokens=cached,
            output_tokens=output_tokens,
            cost_usd=self._options.prices.cost(priced, input_tokens, output_tokens, cached),
            latency_ms=latency_ms,
        )

    def _status_error(self, response: httpx.Response) -> Exception:
        status = response.status_code
        problem = problem_of(response)
        message = problem.summary
        where = f"{self.provider} {self._model}: HTTP {status}"
        if status in CONFIGURATION_STATUSES:
            what = {401: "the API key is not accepted", 403: "the API key may not use this model"}.get(
                status, "no such model or URL"
            )
            return ConfigurationFault(f"{where}: {what}: {message}", problem)
        if status == 402 or _QUOTA_OR_BILLING.search(message):
            return RequestRejected(f"{where}: quota or billing: {message}", problem)
        if status in RETRYABLE_STATUSES or status >= 500:
            return _Retryable(f"{where}: {message}", parse_retry_after(response.headers, self._clock.time()))
        if problem.code == "json_validate_failed":
            return GenerationRejected(f"{where}: {message}", problem.failed_generation or "")
        return RequestRejected(f"{where}: {message}", problem)

    def _attempt_timeout(self) -> float:
        """This attempt's time limit: the call's, or what is left of the turn when that is less."""
        left = remaining(self._clock.monotonic())
        if left is None:
            return self._options.timeout
        if left < _MIN_ATTEMPT_SECONDS:
            raise ProviderUnavailable(f"{self.provider} {self._model}: the turn's deadline has passed")
        return min(self._options.timeout, left)

    def _next_delay(self, attempt: int, failure: _Retryable, timeouts: int) -> float | None:
        if attempt >= self._options.retry.max_retries or timeouts > 1:
            return None
        delay = self._options.retry.delay(attempt, failure.retry_after)
        left = remaining(self._clock.monotonic())
        if delay is not None and left is not None and left - delay < _MIN_ATTEMPT_SECONDS:
            return None  # the retry could not finish before the turn's deadline
        return delay

    def _learn(self, rejected: RequestRejected, request: Request, sent: dict[str, Any]) -> bool:
        """Adapt the request to a 400 that names what the model does not take; False if none did."""
        change = adapt(self._shape, rejected.problem)
        if change is None:
            # Another call may have learnt it meanwhile: then this request is built differently now.
            return self._body(request, self._shape) != sent
        self._shape.learnt.append(change)
        logger.warning(
            "%s %s: the server refused a parameter (%s); from now on it %s",
            self.provider, self._model, rejected.problem.summary[:160], change,
        )
        return True

    def _settle_rejection(self, rejected: RequestRejected) -> None:
        if isinstance(rejected, ConfigurationFault):
            self._breaker.trip(rejected.detail)
            return
        if rejected.message not in self._logged:  # once per distinct rejection, not once per turn
            self._logged.add(rejected.message)
            logger.error("%s %s: request rejected: %s", self.provider, self._model, rejected.detail)
        self._breaker.record_failure()

    async def _post_once(self, body: dict[str, Any]) -> Any:
        limit = self._attempt_timeout()
        try:
            async with asyncio.timeout(limit), self._slots:
                response = await self._client.post(
                    self._url(),
                    json=body,
                    headers=self._headers(),
                    timeout=httpx.Timeout(limit, connect=min(limit, self._options.connect_timeout)),
                )
        except (httpx.TimeoutException, TimeoutError) as error:
            raise _Retryable(
                f"{self.provider} {self._model}: timed out ({type(error).__name__})", timed_out=True
            ) from error
        except httpx.TransportError as error:
            raise _Retryable(f"{self.provider} {self._model}: {type(error).__name__}") from error
        if response.status_code >= 300:
            raise self._status_error(response)
        try:
            return response.json()
        except ValueError as error:
            raise ProviderBadOutput(f"{self.provider} {self._model}: the answer is not JSON") from error

    async def _complete(self, request: Request) -> Completion:
        started = self._clock.monotonic()
        for _ in range(_MAX_ADAPTATIONS + 1):
            body = self._body(request, self._shape)
            try:
                payload = await self._guarded(body)
            except RequestRejected as rejected:
                if self._learn(rejected, request, body):
                    continue
                self._settle_rejection(rejected)
                raise
            answer = self._parse_answer(payload, request.schema)
            latency_ms = (self._clock.monotonic() - started) * 1000
            usage = self._usage(
                answer.model,
                answer.input_tokens,
                answer.cached_input_tokens,
                answer.output_tokens,
                latency_ms,
            )
            return Completion(text=answer.text, usage=usage, stop_reason=answer.stop_reason)
        raise ProviderRefused(f"{self.provider} {self._model}: the server kept refusing parameters")

    async def _guarded(self, body: dict[str, Any]) -> Any:
        """One call through the breaker, with retries; a rejection is settled by the caller."""
        probe = self._breaker.acquire()
        settled = False
        timeouts = 0
        try:
            for attempt in itertools.count():
                try:
                    payload = await self._post_once(body)
                except _Retryable as failure:
                    timeouts += failure.timed_out
                    delay = self._next_delay(attempt, failure, timeouts)
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
        except RequestRejected:
            raise
        except ProviderError:
            self._breaker.record_success()  # the provider answered; it is up
            settled = True
            raise
        finally:
            if probe and not settled:
                self._breaker.release_probe()
        raise AssertionError("unreachable")  # pragma: no cover

    async def _stream_source(self, stream: ChatStream, request: Request) -> AsyncGenerator[str, None]:
        started = self._clock.monotonic()
        for _ in range(_MAX_ADAPTATIONS + 1):
            body = self._body(request, self._shape)
            tally = StreamTally()
            try:
                async for piece in self._guarded_stream(body, tally):
                    yield piece
            except RequestRejected as rejected:  # only ever before the first piece
                if self._learn(rejected, request, body):
                    continue
                self._settle_rejection(rejected)
                raise
            latency_ms = (self._clock.monotonic() - started) * 1000
            stream.completion = Completion(
                text="".join(tally.parts),
                usage=self._usage(
                    tally.model,
                    tally.input_tokens,
                    tally.cached_input_tokens,
                    tally.output_tokens,
                    latency_ms,
                ),
                stop_reason=tally.stop_reason,
            )
            return
        raise ProviderRefused(f"{self.provider} {self._model}: the server kept refusing parameters")

    async def _guarded_stream(self, body: dict[str, Any], tally: StreamTally) -> AsyncGenerator[str, None]:
        probe = self._breaker.acquire()
        settled = False
        timeouts = 0
        try:
            for attempt in itertools.count():
                tally.parts.clear()
                try:
                    async for piece in self._stream_once(body, tally):
                        yield piece
                except _Retryable as failure:
                    timeouts += failure.timed_out
                    delay = self._next_delay(attempt, failure, timeouts)
                    if delay is None:
                        raise ProviderUnavailable(failure.detail) from None
                    await self._clock.sleep(delay)
                    continue
                break
            self._breaker.record_success()
            settled = True
        except ProviderUnavailable:
            self._breaker.record_failure()
            settled = True
            raise
        except RequestRejected:
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
        limit = self._attempt_timeout()
        deadline = self._clock.monotonic() + limit
        request = self._client.build_request(
            "POST",
            self._url(),
            json=body,
            headers=self._headers(),
            timeout=httpx.Timeout(limit, connect=min(limit, self._options.connect_timeout)),
        )
        try:
            async with contextlib.AsyncExitStack() as held:  # unwinds: the response, then the slot
                async with asyncio.timeout(limit):
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
            timed_out = isinstance(error, httpx.TimeoutException | TimeoutError)
            raise _Retryable(detail, timed_out=timed_out) from error

    async def _timed_chunks(self, response: httpx.Response, deadline: float) -> AsyncIterator[str]:
        """The body's text as it arrives, each read bounded by what is left of the call's time."""
        chunks = response.aiter_text()
        while True:
            left = deadline - self._clock.monotonic()
            if left <= 0:
                raise TimeoutError("the stream ran past the call's time limit")
            try:
                async with asyncio.timeout(left):
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                return
            yield chunk
