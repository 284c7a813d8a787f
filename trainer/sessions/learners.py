"""A learner across sessions: their sessions page by page, their progress, and erasing them."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.sessions import learners_store
from trainer.sessions.reports import LearnerProgress, learner_progress
from trainer.sessions.service import LearnerLimit
from trainer.store.db import writing
from trainer.store.tables import Learner, PracticeSession
from trainer.vocabulary.errors import NotFound


async def _learner(db: AsyncSession, tenant_id: int, learner_id: str) -> Learner:
    learner = await learners_store.find_learner(db, tenant_id, learner_id)
    if learner is None:
        raise NotFound(
            f"no learner {learner_id!r}; a learner appears with their first session (POST /v1/sessions)"
        )
    return learner


async def learner_sessions_page(
    db: AsyncSession,
    limiter: LearnerLimit,
    tenant_id: int,
    learner_id: str,
    *,
    limit: int,
    before: tuple[Any, str] | None,
) -> tuple[list[PracticeSession], bool]:
    """A page of the learner's sessions, newest first, and whether more follow. No learner: none."""
    await limiter.check_learner(tenant_id, learner_id)
    learner = await learners_store.find_learner(db, tenant_id, learner_id)
    if learner is None:
        return [], False
    rows = await learners_store.sessions_page(db, learner, limit=limit + 1, before=before)
    return rows[:limit], len(rows) > limit


async def progress_of(
    db: AsyncSession, limiter: LearnerLimit, tenant_id: int, learner_id: str
) -> LearnerProgress:
    await limiter.check_learner(tenant_id, learner_id)
    learner = await _learner(db, tenant_id, learner_id)
    sessions = await learners_store.learner_sessions(db, learner)
    turns = await learners_store.turns_of(db, [s.id for s in sessions])
    return learner_progress(learner_id, sessions, turns)


async def erase_learner(db: AsyncSession, tenant_id: int, learner_id: str) -> None:
    async with writing(db):
        if not await learners_store.erase_learner(db, tenant_id, learner_id):
            raise NotFound(
                f"no learner {learner_id!r} (already deleted, or never seen by this API key's tenant)"
            )
        await db.commit()
