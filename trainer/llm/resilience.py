"""Retries with jittered exponential backoff, ``Retry-After``, and a circuit breaker per provider.

Time is injected (``Clock``) so tests of backoff and of the breaker neither sleep nor wait.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Protocol

from trainer.vocabulary.errors import ProviderUnavailable

logger = logging.getLogger(__name__)


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def time(self) -> float:
        """Wall-clock seconds since the epoch (for ``Retry-After`` HTTP dates)."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds to wait from ``retry-after-ms``, or ``Retry-After`` as seconds or an HTTP date."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait between attempts of one call.

    Without a ``Retry-After`` the wait is ``base * 2**attempt`` capped at ``max_delay``, scaled by a
    random factor in [0.5, 1) so that many workers do not retry in step. A ``Retry-After`` longer
    than ``max_retry_after`` is not waited for: the call fails at once and the turn degrades.
    """

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 20.0
    jitter: Callable[[], float] = field(default=random.random)

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        backoff: float = min(self.max_delay, self.base_delay * 2**attempt)
        return backoff * (0.5 + self.jitter() / 2)


class BreakerState(enum.StrEnum):
    closed = "closed"
    open = "open"
    half_open = "half_open"


class CircuitBreaker:
    """Opens after ``failure_threshold`` failed calls in a row; then every call fails at once.

    After ``reset_seconds`` one call is let through as a probe (half-open): its success closes the
    breaker, its failure opens it again. Calls made while the probe is out fail at once.
    ``on_change`` hears every change of state (the metrics' breaker gauge).
    """

    def __init__(
        self,
        name: str,
        failure_threshold: int,
        reset_seconds: float,
        clock: Clock,
        on_change: Callable[[str, str], None] | None = None,
    ) -> None:
        self.name = name
        self.failure_threshold = max(1, failure_threshold)
        self.reset_seconds = reset_seconds
        self._clock = clock
        self._on_change = on_change
        self._state = BreakerState.closed
        self._failures = 0
        self._opened_at = 0.0
        self._probe_out = False
        self._fault: str | None = None

    @property
    def state(self) -> BreakerState:
        return self._state

    @property
    def failures(self) -> int:
        """Failed calls in a row."""
        return self._failures

    @property
    def fault(self) -> str | None:
        """What is wrong with the configuration (a bad key, model or URL), until a call succeeds."""
        return self._fault

    def _move(self, state: BreakerState) -> None:
        if state is not self._state:
            self._state = state
            if self._on_change is not None:
                self._on_change(self.name, state.value)

    def acquire(self) -> bool:
        """Admit a call or raise ProviderUnavailable; True when the admitted call is the probe."""
        if self._state is BreakerState.closed:
            return False
        if self._state is BreakerState.open:
            if self._clock.monotonic() - self._opened_at < self.reset_seconds:
                why = f"configuration fault: {self._fault}" if self._fault else "repeated failures"
                raise ProviderUnavailable(f"{self.name}: circuit open after {why}")
            self._move(BreakerState.half_open)
            self._probe_out = False
        if self._probe_out:
            raise ProviderUnavailable(f"{self.name}: circuit half-open, a probe call is in flight")
        self._probe_out = True
        return True

    def record_success(self) -> None:
        if self._fault is not None:
            logger.warning("model provider %s: answering again; the configuration fault is gone", self.name)
        self._move(BreakerState.closed)
        self._failures = 0
        self._probe_out = False
        self._fault = None

    def trip(self, fault: str) -> None:
        """Open at once: the configuration is wrong (401, 403, 404) and no retry will mend it.

        Logged once at ERROR per distinct fault; after ``reset_seconds`` a probe checks again.
        """
        if fault != self._fault:
            logger.error("model provider %s: configuration fault, model calls stop: %s", self.name, fault)
        self._fault = fault
        self._probe_out = False
        self._move(BreakerState.open)
        self._opened_at = self._clock.monotonic()

    def record_failure(self) -> None:
        self._failures += 1
        self._probe_out = False
        if self._state is BreakerState.half_open or self._failures >= self.failure_threshold:
            if self._state is not BreakerState.open:
                logger.warning("model provider %s: circuit opened (%d failures)", self.name, self._failures)
            self._move(BreakerState.open)
            self._opened_at = self._clock.monotonic()

    def release_probe(self) -> None:
        """A probe that ended without a verdict (cancelled): let the next call probe instead."""
        self._probe_out = False
