"""Streamed turns run as tasks of their own (``TurnTasks``): a client that goes away cannot cancel
the write, and the app's lifespan drains them on shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

logger = logging.getLogger("trainer.sessions")

T = TypeVar("T")


class TurnTasks:
    """Streamed turns run as tasks of their own, so a client that goes away cannot cancel the write.

    The set holds them until they finish (asyncio keeps only weak references); the app's lifespan
    drains it on shutdown so that an acknowledged turn is never cut off.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            logger.warning("a streamed turn failed: %s", type(error).__name__)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
