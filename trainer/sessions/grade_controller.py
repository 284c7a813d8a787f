"""``POST /v1/grade``: grade one reply with no session (the rules, or the model judge when configured).

The safety screen runs first: a reply that signals risk gets ``{"screen": {...}}`` and no rubrics or
tip, and never reaches the judge. With a model configured, the model's safety check reads the reply
while the judge grades it, and a reply it flags gets the same ``screen`` answer instead of the grade.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from litestar import post
from litestar.di import NamedDependency

from trainer.api.auth import Principal
from trainer.api.openapi import body_of, documented
from trainer.engines import Engines
from trainer.sessions.schemas import GradeRequest, GradeView, ScreenedGrade, ScreenView
from trainer.vocabulary.messages import Message


@post(
    "/grade",
    tags=["grade"],
    summary="Grade a reply to a partner line, with no session",
    status_code=200,
    description=(
        'The grade of one reply. A reply the safety screen stops gets `{"screen": {"category", '
        '"message", "resources"}}` instead, with no rubrics or tip.'
    ),
    responses=documented(GradeView, 200, 422, 429),
)
async def grade_reply(
    data: Annotated[GradeRequest, body_of(GradeRequest)],
    engines: NamedDependency[Engines],
    principal: NamedDependency[Principal],
) -> GradeView | ScreenedGrade:
    screen = await asyncio.to_thread(engines.safety.check, data.reply, data.partner, principal.tenant_id)
    if screen is not None:
        return ScreenedGrade(screen=ScreenView.of(screen))
    history = [Message(role=m.role, text=m.text) for m in data.history]
    grade, risk = await asyncio.gather(
        engines.grade_alone(data.partner, data.reply, history),
        engines.risk_of(data.reply, data.partner),
    )
    if risk is not None and risk.category is not None:
        flagged = engines.safety.help_for(risk.category, principal.tenant_id)
        return ScreenedGrade(screen=ScreenView.of(flagged))
    return GradeView.of_grade(grade)
