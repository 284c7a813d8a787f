"""``POST /v1/grade``: grade one reply with no session (the rules, or the model judge when configured)."""

from __future__ import annotations

from typing import Annotated

from litestar import post
from litestar.di import NamedDependency

from trainer import sessions as service
from trainer.api.schemas_sessions import GradeRequest, GradeView
from trainer.api.sessions import body_of, documented
from trainer.messages import Message
from trainer.practice import Engines


@post(
    "/grade",
    tags=["grade"],
    summary="Grade a reply to a partner line, with no session",
    status_code=200,
    responses=documented(GradeView, 200, 422, 429),
)
async def grade_reply(
    data: Annotated[GradeRequest, body_of(GradeRequest)], engines: NamedDependency[Engines]
) -> GradeView:
    history = [Message(role=m.role, text=m.text) for m in data.history]
    grade = await service.grade_reply(engines, data.partner, data.reply, history)
    return GradeView.of_grade(grade)
