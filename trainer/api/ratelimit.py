"""Rate limits per API key and per learner: a sliding window of one minute.

``settings.rate_limit_per_key`` and ``settings.rate_limit_per_learner`` are requests per minute (0
turns a limit off). The window lives in the process (``MemoryWindow``) or, when
``settings.redis_url`` is set, in Redis (``RedisWindow``), so that every worker shares one count.
Over the limit, ``RateLimited`` carries the seconds until the oldest request in the window expires:
the API turns it into a 429 with ``Retry-After``.

When Redis does not answer, the limits fail open: the request is let through unchecked, a warning is
logged (at most once every ``WARN_EVERY_S`` per worker), and Redis is not asked again for
``RETRY_AFTER_S``, so an outage costs no request more than one short timeout. ``/readyz`` reports it.
"""

from __future__ import annotations

import logging
import math
import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from trainer.api.auth import Principal
from trainer.settings import Settings
from trainer.telemetry import metrics
from trainer.vocabulary.errors import RateLimited

logger = logging.getLogger("trainer.ratelimit")

WINDOW_SECONDS = 60.0
# Forget idle keys every this many hits, so that a stream of one-off keys cannot grow memory.
SWEEP_EVERY = 1000
# Redis: how long a command may take, how long to stop asking after a failure, how often to warn.
REDIS_TIMEOUT_S = 0.25
RETRY_AFTER_S = 2.0
WARN_EVERY_S = 30.0


class Window(Protocol):
    async def hit(self, key: str, limit: int) -> float | None:
        """Count one request under ``key``; None when allowed, else seconds until one is allowed."""
        ...

    async def aclose(self) -> None: ...

    async def answers(self) -> bool:
        """Whether the store can count right now (always, in memory)."""
        ...


class MemoryWindow:
    """A sliding window per key in this process (one worker; tests; a single-process server)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._calls = 0

    async def hit(self, key: str, limit: int) -> float | None:
        now = self._clock()
        self._calls += 1
        if self._calls % SWEEP_EVERY == 0:
            self._sweep(now)
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - WINDOW_SECONDS:
            hits.popleft()
        if len(hits) >= limit:
            return hits[0] + WINDOW_SECONDS - now
        hits.append(now)
        return None

    def _sweep(self, now: float) -> None:
        idle = [key for key, hits in self._hits.items() if not hits or hits[-1] <= now - WINDOW_SECONDS]
        for key in idle:
            del self._hits[key]

    async def aclose(self) -> None:
        self._hits.clear()

    async def answers(self) -> bool:
        return True


# Atomic in Redis: drop expired hits, count, add this one if allowed; answer the wait in ms (-1: allowed).
_SLIDING_WINDOW_LUA = """
local key, member = KEYS[1], ARGV[4]
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return math.ceil(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, window)
return -1
"""


class RedisWindow:
    """The same sliding window in Redis, shared by every worker (a sorted set of hit times per key).

    Fails open: when Redis does not answer within ``REDIS_TIMEOUT_S``, ``hit`` allows the request.
    """

    def __init__(
        self, url: str, prefix: str = "trainer:ratelimit:", clock: Callable[[], float] = time.monotonic
    ) -> None:
        import redis.asyncio as redis  # only needed when a Redis is configured

        self._redis: Any = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S
        )
        self._script: Any = self._redis.register_script(_SLIDING_WINDOW_LUA)
        self._prefix = prefix
        self._clock = clock
        self._down_until = 0.0
        self._warned_at: float | None = None

    async def hit(self, key: str, limit: int) -> float | None:
        if self._clock() < self._down_until:
            metrics.observe_fail_open()
            return None
        now_ms = int(time.time() * 1000)
        member = f"{now_ms}-{secrets.token_hex(4)}"
        try:
            wait_ms = int(
                await self._script(
                    keys=[self._prefix + key], args=[now_ms, int(WINDOW_SECONDS * 1000), limit, member]
                )
            )
        except Exception as error:  # any Redis failure: let the request through
            self._failed(error)
            metrics.observe_fail_open()
            return None
        return None if wait_ms < 0 else wait_ms / 1000

    def _failed(self, error: BaseException) -> None:
        now = self._clock()
        self._down_until = now + RETRY_AFTER_S
        if self._warned_at is None or now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            logger.warning(
                "Redis did not answer (%s): rate limits are not enforced until it does",
                type(error).__name__,
            )

    async def answers(self) -> bool:
        try:
            await self._redis.ping()
        except Exception as error:  # any Redis failure means it does not answer
            self._failed(error)
            return False
        self._down_until = 0.0
        return True

    async def aclose(self) -> None:
        await self._redis.aclose()


class RateLimiter:
    """The two limits of the API over one window store."""

    def __init__(self, window: Window, *, per_key: int, per_learner: int) -> None:
        self._window = window
        self.per_key = per_key
        self.per_learner = per_learner

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        window: Window = (
            RedisWindow(settings.redis_url, prefix=f"{settings.redis_prefix}ratelimit:")
            if settings.redis_url
            else MemoryWindow()
        )
        return cls(window, per_key=settings.rate_limit_per_key, per_learner=settings.rate_limit_per_learner)

    async def check_key(self, principal: Principal) -> None:
        if self.per_key > 0:
            wait = await self._window.hit(f"key:{principal.key_id}", self.per_key)
            _raise_if_limited(wait, "key", f"This API key is limited to {self.per_key} requests a minute")

    async def check_learner(self, tenant_id: int, learner_id: str) -> None:
        if self.per_learner > 0:
            wait = await self._window.hit(f"learner:{tenant_id}:{learner_id}", self.per_learner)
            what = f"A learner is limited to {self.per_learner} requests a minute"
            _raise_if_limited(wait, "learner", what)

    async def shared_store_answers(self) -> bool:
        """Whether the window store (Redis, when configured) counts right now."""
        return await self._window.answers()

    async def aclose(self) -> None:
        await self._window.aclose()


def _raise_if_limited(wait: float | None, limit: str, what: str) -> None:
    if wait is not None:
        metrics.observe_rate_limited(limit)
        seconds = max(1, math.ceil(wait))
        raise RateLimited(f"{what}; retry the request after {seconds} s (see Retry-After).", seconds)


async def key_rate_limit(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    """A guard for every ``/v1`` route: the per-key limit (authentication has already run)."""
    limiter: RateLimiter | None = getattr(connection.app.state, "rate_limiter", None)
    user = connection.scope.get("user")
    if limiter is not None and isinstance(user, Principal):
        await limiter.check_key(user)
