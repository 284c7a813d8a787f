"""A turn's deadline, seen by every model call made for it.

The model engines open a ``deadline_scope`` around their calls (``TRAINER_TURN_DEADLINE_SECONDS``);
the HTTP clients read it through ``remaining`` to bound each attempt by what is left of the turn and
to retry only when a retry can still finish in time. The deadline is an instant on the clock the
client uses (``time.monotonic`` in production; a test's manual clock in tests).
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("turn_deadline", default=None)


@contextmanager
def deadline_scope(seconds: float, now: Callable[[], float] = time.monotonic) -> Iterator[float]:
    """Calls made inside finish within ``seconds`` from now (an earlier outer deadline still holds)."""
    end = now() + seconds
    outer = _deadline.get()
    token = _deadline.set(end if outer is None else min(outer, end))
    try:
        yield seconds
    finally:
        _deadline.reset(token)


def remaining(now: float) -> float | None:
    """Seconds left before the deadline at clock reading ``now``; None when no deadline is set."""
    end = _deadline.get()
    return None if end is None else end - now


GRACE_SECONDS = 0.5  # past the deadline, a call still running is abandoned after this much more


async def within_deadline(seconds: float | None, call: Callable[[], Awaitable[T]]) -> T:
    """``call()`` with the turn's deadline set for the model calls inside it; past the deadline (and
    a short grace for the calls to give up by themselves) it is cancelled with ``TimeoutError``."""
    if seconds is None:
        return await call()
    with deadline_scope(seconds):
        async with asyncio.timeout(seconds + GRACE_SECONDS):
            return await call()


def hard_stop(seconds: float | None) -> float | None:
    """The event loop's time at which a streamed answer is abandoned, for ``asyncio.timeout_at``."""
    return None if seconds is None else asyncio.get_running_loop().time() + seconds + GRACE_SECONDS
