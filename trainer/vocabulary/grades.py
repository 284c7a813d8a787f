"""What a grade is: per-rubric scores with reasons and evidence, the behaviours, and one tip."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from trainer.vocabulary.codes import Behaviour, Coding
from trainer.vocabulary.messages import Message
from trainer.vocabulary.stages import Stage


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
    applicable: bool = Field(
        default=True, description="Whether the moment of the exercise called for this rubric"
    )


class KeyPointRef(BaseModel):
    """A key point of the partner's story, as the coder needs it: an id and the cues that show it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    cues: tuple[str, ...]


class NamedMiss(BaseModel):
    """A key point the partner, answering the reply, says it left out: the tip names the same one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: str = Field(min_length=1, description="The partner's own words for what was missed")
    named_before: int = Field(
        default=0, ge=0, description="Earlier replies the partner had already named this point to"
    )
    heard_nothing: bool = Field(
        default=False,
        description="The reflection said back nothing of the story, and the partner said this point again",
    )


class GradeContext(BaseModel):
    """What the grader knows besides the reply itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner: str = Field(description="The partner line the reply answers")
    history: tuple[Message, ...] = ()
    key_points: tuple[KeyPointRef, ...] = ()
    feelings: tuple[str, ...] = ()
    advice_requested: bool = False
    permission_granted: bool = False
    ideas_declined: bool = Field(
        default=False,
        description="In a session, the partner has just said no to ideas (to a permission ask): being "
        "heard comes first",
    )
    stage: Stage | None = Field(
        default=None,
        description="The partner's stage when the learner replied (the moment); none without a session. "
        "In a session the state, not the partner's wording, says whether ideas were asked for",
    )
    turn: int = Field(default=0, ge=0, description="Replies taken before this one in the session")
    deeper_feeling: str | None = Field(
        default=None,
        description="Once the partner has said the feeling underneath, a word for it: tips name it "
        "instead of the surface feelings",
    )
    named_miss: NamedMiss | None = Field(
        default=None,
        description="In a session, the key point the partner's answer to this reply names as missed: "
        "the partner decides, and the tip says the same",
    )


class Engine(StrEnum):
    rules = "rules"
    llm = "llm"


class Grade(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    behaviours: tuple[Behaviour, ...]
    rubrics: dict[RubricName, RubricScore]
    tip: str
    notice: str | None = Field(
        default=None, description="A sentence for the learner when the reply could not be read"
    )
    engine: Engine = Engine.rules
    degraded: bool = False
    coding: Coding | None = Field(default=None, exclude=True)
