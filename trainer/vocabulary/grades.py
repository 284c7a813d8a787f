"""What a grade is: per-rubric scores with reasons and evidence, the behaviours, and one tip."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from trainer.vocabulary.codes import Behaviour, Coding
from trainer.vocabulary.messages import Message


class RubricName(StrEnum):
    reflection = "reflection"
    validation = "validation"
    not_fixing = "not_fixing"
    open_questions = "open_questions"
    partner_focus = "partner_focus"


class RubricScore(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    score: int = Field(ge=0, le=3)
    reason: str
    evidence: str = ""


class KeyPointRef(BaseModel):
    """A key point of the partner's story, as the coder needs it: an id and the cues that show it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    cues: tuple[str, ...]


class GradeContext(BaseModel):
    """What the grader knows besides the reply itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner: str = Field(description="The partner line the reply answers")
    history: tuple[Message, ...] = ()
    key_points: tuple[KeyPointRef, ...] = ()
    feelings: tuple[str, ...] = ()
    advice_requested: bool = False
    permission_granted: bool = False
    stage: str | None = Field(
        default=None,
        description="The stage of the exercise, in a session; then the state, not the partner's "
        "wording, says whether ideas were asked for",
    )


class Engine(StrEnum):
    rules = "rules"
    llm = "llm"


class Grade(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    behaviours: tuple[Behaviour, ...]
    rubrics: dict[RubricName, RubricScore]
    tip: str
    engine: Engine = Engine.rules
    degraded: bool = False
    coding: Coding | None = Field(default=None, exclude=True)
