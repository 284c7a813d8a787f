"""``/v1/learners/{learner_id}``: a learner's progress across sessions, and erasing a learner."""

from __future__ import annotations

from litestar import Controller, delete, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.access import Need, require_learner
from trainer.api.auth import Principal
from trainer.api.openapi import documented, problem_responses
from trainer.api.ratelimit import RateLimiter
from trainer.sessions import learners
from trainer.sessions.reports import LearnerProgress
from trainer.sessions.schemas import PROGRESS


class LearnersController(Controller):
    path = "/learners"
    tags = ["learners"]  # noqa: RUF012 (Litestar reads this class attribute)

    @get(
        "/{learner_id:str}/progress",
        summary="Each rubric over time, and which skills are improving",
        responses=documented(LearnerProgress, 200, 404, 429, example=PROGRESS),
    )
    async def progress(
        self,
        db: NamedDependency[AsyncSession],
        limiter: NamedDependency[RateLimiter],
        principal: NamedDependency[Principal],
        learner_id: FromPath[str],
    ) -> LearnerProgress:
        await require_learner(db, principal.actor, learner_id, Need.aggregates)
        return await learners.progress_of(db, limiter, principal.tenant_id, learner_id)

    @delete(
        "/{learner_id:str}",
        summary="Delete a learner with every session, turn and idempotency record",
        description="Irreversible. 204 when deleted; 404 when there is no such learner (a second delete).",
        status_code=204,
        responses=problem_responses(404),
    )
    async def erase(
        self,
        db: NamedDependency[AsyncSession],
        principal: NamedDependency[Principal],
        learner_id: FromPath[str],
    ) -> None:
        await require_learner(db, principal.actor, learner_id, Need.write)
        await db.commit()  # end the read before erasing takes the write gate
        await learners.erase_learner(db, principal.tenant_id, learner_id)
