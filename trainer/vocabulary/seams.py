"""The judge's seam, where a language model can take over from the rules grade, and what any engine
call reports about itself (``Usage``).

A turn (``trainer.sessions.turn``) first codes the reply with the rules coder and moves the
partner's state; then a ``Judge`` grades the reply while a ``PartnerVoice`` (the partner's seam,
``trainer.partner.voice``) says the partner's line, at the same time. Offline, the judge passes the
rules grade through; with a model configured, ``trainer.grading.judge.ModelJudge`` falls back to it
and marks the turn degraded.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from trainer.vocabulary.grades import Grade, GradeContext


class Usage(BaseModel):
    """How one engine call was made: for storage, cost accounting and re-grading later."""

    model_config = ConfigDict(extra="forbid")

    engine: str = "rules"
    model: str | None = None
    prompt_hash: str | None = None
    input_tokens: int = 0
    cached_input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    degraded: bool = False
    error: str | None = None
    replaced: str | None = None
    """Why the model's partner line was replaced by the scripted one (``trainer.safety.partner_line``)."""


class Judged(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grade: Grade
    usage: Usage
    # Where the model's own score (before the cap) and the rules score differ by two points or more:
    # {rubric: (rules score, model score)}.
    disagreement: dict[str, tuple[int, int]] = Field(default_factory=dict)


class Judge(Protocol):
    async def judge(self, reply: str, context: GradeContext, rules_grade: Grade) -> Judged:
        """Grade ``reply``; ``rules_grade`` is the offline grade, the fallback and the guard's cap."""
        ...
