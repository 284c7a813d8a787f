"""Limits on joining a workshop with a code: per client address, per code, and per cohort.

A join code is a short secret typed on a phone, so it must not be guessable at speed, and one
leaked code must not fill a room with thousands of members. Per minute (sliding window, shared by
the workers through Redis when ``TRAINER_REDIS_URL`` is set):

- ``TRAINER_JOIN_LIMIT_PER_ADDRESS`` joins from one client address (a whole room may share one
  address behind the venue's router, so this is generous: 60);
- ``TRAINER_JOIN_GUESSES_PER_ADDRESS`` refused codes from one client address (10): guessing;
- ``TRAINER_JOIN_LIMIT_PER_CODE`` joins with one code (60);

and ``TRAINER_COHORT_MAX_MEMBERS`` members in one cohort (100). 0 turns a limit off. Over a
limit, the join page says so and answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import math
import secrets
import time
from collections import deque
from typing import Any, Protocol

from trainer.api.ratelimit import WINDOW_SECONDS, MemoryWindow, RedisWindow, Window
from trainer.settings import Settings
from trainer.vocabulary.errors import RateLimited

TOO_MANY_JOINS = "Too many people joined from here in the last minute; try again in {s} s."
TOO_MANY_GUESSES = "Too many codes were not right from here in the last minute; try again in {s} s."
CODE_BUSY = "Too many people joined with this code in the last minute; try again in {s} s."


class Failures(Protocol):
    """Refused attempts per key over the last minute: counted only when refused, read before trying."""

    async def count(self, key: str) -> int: ...

    async def add(self, key: str) -> None: ...

    async def aclose(self) -> None: ...


class MemoryFailures:
    def __init__(self) -> None:
        self._seen: dict[str, deque[float]] = {}

    async def count(self, key: str) -> int:
        seen = self._seen.get(key)
        if seen is None:
            return 0
        while seen and seen[0] <= time.monotonic() - WINDOW_SECONDS:
            seen.popleft()
        if not seen:
            del self._seen[key]
        return len(seen)

    async def add(self, key: str) -> None:
        if len(self._seen) > 100_000:  # a flood of addresses cannot grow memory without bound
            self._seen.clear()
        self._seen.setdefault(key, deque()).append(time.monotonic())

    async def aclose(self) -> None:
        self._seen.clear()


class RedisFailures:
    def __init__(self, url: str, prefix: str = "trainer:join-failures:") -> None:
        import redis.asyncio as redis  # only needed when a Redis is configured

        self._redis: Any = redis.Redis.from_url(url)
        self._prefix = prefix

    async def count(self, key: str) -> int:
        now_ms = int(time.time() * 1000)
        name = self._prefix + key
        await self._redis.zremrangebyscore(name, "-inf", now_ms - int(WINDOW_SECONDS * 1000))
        return int(await self._redis.zcard(name))

    async def add(self, key: str) -> None:
        now_ms = int(time.time() * 1000)
        name = self._prefix + key
        await self._redis.zadd(name, {f"{now_ms}-{secrets.token_hex(4)}": now_ms})
        await self._redis.pexpire(name, int(WINDOW_SECONDS * 1000))

    async def aclose(self) -> None:
        await self._redis.aclose()


class JoinLimits:
    def __init__(
        self,
        window: Window,
        failures: Failures,
        *,
        per_address: int,
        guesses_per_address: int,
        per_code: int,
    ) -> None:
        self._window = window
        self._failures = failures
        self.per_address = per_address
        self.guesses_per_address = guesses_per_address
        self.per_code = per_code

    @classmethod
    def from_settings(cls, settings: Settings) -> JoinLimits:
        url = settings.redis_url
        window: Window = RedisWindow(url, prefix="trainer:joins:") if url else MemoryWindow()
        failures: Failures = RedisFailures(url) if url else MemoryFailures()
        return cls(
            window,
            failures,
            per_address=settings.join_limit_per_address,
            guesses_per_address=settings.join_guesses_per_address,
            per_code=settings.join_limit_per_code,
        )

    async def _hit(self, key: str, limit: int, message: str) -> None:
        if limit <= 0:
            return
        wait = await self._window.hit(key, limit)
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            raise RateLimited(message.format(s=seconds), seconds)

    async def check_address(self, address: str) -> None:
        """Before a join from ``address`` is tried: counts the attempt."""
        await self._hit(f"address:{address}", self.per_address, TOO_MANY_JOINS)

    async def check_guesses(self, address: str) -> None:
        """Before a code is looked up: refused when this address had too many codes refused lately."""
        limit = self.guesses_per_address
        if limit > 0 and await self._failures.count(address) >= limit:
            seconds = math.ceil(WINDOW_SECONDS)
            raise RateLimited(TOO_MANY_GUESSES.format(s=seconds), seconds)

    async def count_guess(self, address: str) -> None:
        """After a code was refused: one guess more for ``address``."""
        if self.guesses_per_address > 0:
            await self._failures.add(address)

    async def check_code(self, code: str) -> None:
        await self._hit(f"code:{code}", self.per_code, CODE_BUSY)

    async def aclose(self) -> None:
        await self._window.aclose()
        await self._failures.aclose()
