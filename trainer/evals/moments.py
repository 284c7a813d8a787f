"""Whole conversations written to the six-step exercise, checked turn by turn for what each moment
calls for (issue 14).

Files live in ``evals/moments/<name>.yaml``, each ``{scenario, conversations: [MomentConversation...]}``.
Every turn states the partner's stage after the reply, whether the partner moved on (its stage went
forward, or it came back from withdrawn), exactly which rubrics the moment called for (the grade's
``applicable`` flags), score ranges for the rubrics that matter, and optionally the behaviours the
grade must or must not show, whether the turn carries a notice, and which way safety went. A
conversation may also say what its end report must and must not say.

A load error is a :class:`~trainer.errors.ContentError` naming the file and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from trainer.content.scenario import Scenario, Stage
from trainer.evals.cases import Slug, load_scenario_files
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import RubricName

Score = Annotated[int, Field(ge=0, le=3)]


class SafetyMove(StrEnum):
    up = "up"
    down = "down"
    same = "same"


class MomentTurn(BaseModel):
    """One reply and what must follow from it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reply: str = Field(min_length=1)
    stage: Stage = Field(description="The partner's stage after the reply")
    moves_on: bool = Field(description="The stage went forward, or the partner came back from withdrawn")
    applicable: tuple[RubricName, ...] = Field(description="Exactly the rubrics the moment called for")
    scores: dict[RubricName, tuple[Score, Score]] = Field(default_factory=dict)
    shows: tuple[Code, ...] = Field(default=(), description="Behaviours the grade must include")
    never: tuple[Code, ...] = Field(default=(), description="Behaviours the grade must not include")
    notice: bool = Field(default=False, description="The turn carries a notice (an unreadable reply)")
    safety: SafetyMove | None = None
    tip_says: tuple[str, ...] = Field(default=(), description="Words the tip must use (any case)")
    tip_never_says: tuple[str, ...] = Field(default=(), description="Words the tip must not use")
    hint_says: tuple[str, ...] = Field(default=(), description="Words the hint after this turn must use")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for name, (low, high) in self.scores.items():
            if low > high:
                raise ValueError(f"scores.{name.value}: [{low}, {high}] is reversed")
        clash = set(self.shows) & set(self.never)
        if clash:
            raise ValueError(f"shows and never both name {', '.join(sorted(c.value for c in clash))}")
        if len(set(self.applicable)) != len(self.applicable):
            raise ValueError("applicable: name each rubric once")
        return self


class ReportExpectation(BaseModel):
    """What the end report (as the terminal prints it) must and must not say, case-insensitively."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    says: tuple[str, ...] = ()
    never_says: tuple[str, ...] = ()


class MomentConversation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    note: str = Field(min_length=3)
    turns: tuple[MomentTurn, ...] = Field(min_length=1)
    report: ReportExpectation | None = None


class MomentFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: Slug
    conversations: tuple[MomentConversation, ...] = Field(min_length=1)


class ScenarioMoment(BaseModel):
    """A moment conversation with the scenario it runs in (the runner's unit of work)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: str
    conversation: MomentConversation

    @property
    def id(self) -> str:
        return self.conversation.id


def load_moments(folder: Path, scenarios: Mapping[str, Scenario]) -> list[ScenarioMoment]:
    """Every conversation in ``folder``, in file order; ids are unique across the folder."""
    return [
        ScenarioMoment(scenario=scenario, conversation=conversation)
        for scenario, conversation in load_scenario_files(folder, MomentFile, scenarios)
    ]
