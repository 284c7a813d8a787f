"""The rubric file format (``rubrics.yaml``): what each rubric measures, its 0–3 anchors, examples,
and the signals that raise, lower or cap it.

The rules grader applies the ``caps`` as written here, and the model judge renders the same anchors
into its prompt, so both engines grade against one definition.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from trainer.content.loader import read_yaml, validate_content
from trainer.content.moments import MomentTable
from trainer.vocabulary.grades import RubricName

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=600)]
Score = Annotated[int, Field(ge=0, le=3)]


class Signal(StrEnum):
    """What the grader can see in a reply or its context besides the behaviour codes themselves."""

    reflection = "reflection"
    feeling_check = "feeling_check"
    validation = "validation"
    empathy = "empathy"
    open_question = "open_question"
    closed_question = "closed_question"
    permission_ask = "permission_ask"
    advice = "advice"
    invalidation = "invalidation"
    self_focus = "self_focus"
    defensiveness = "defensiveness"
    repair = "repair"
    disengagement = "disengagement"
    parroting = "parroting"                  # the reply mostly copies the partner's words
    sarcasm = "sarcasm"                      # the coder flagged a mocking tone
    addresses_grader = "addresses_grader"    # the reply talks to a grader or a model, not to the partner
    mostly_self = "mostly_self"              # more than half of the reply's sentences are about the listener
    leading_question = "leading_question"    # "don't you think...?", "are you sure...?", "why did you...?"
    interrogation = "interrogation"          # three or more questions in one reply
    validation_undone = "validation_undone"  # "I get it, but..."
    advice_requested = "advice_requested"    # the partner asked for ideas
    permission_granted = "permission_granted"  # the partner said yes to a permission_ask
    words_only = "words_only"                # technique labels, repeated frames, a list of feelings
    changed_subject = "changed_subject"      # the reply turns the talk to something else
    yes_no_question = "yes_no_question"      # a closed question that is not a check of understanding



class Level(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    score: Score
    anchor: Text


class Example(BaseModel):
    """A reply to a partner line, the score it earns on this rubric, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner: Text
    reply: Text
    score: Score
    why: Text


class Cap(BaseModel):
    """A ceiling: while ``when`` is present the rubric scores at most ``max``, unless a ``lifted_by`` is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    when: Signal
    max: Score
    why: Text
    lifted_by: tuple[Signal, ...] = ()


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: RubricName
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=60)]
    measures: Text
    levels: tuple[Level, ...]
    good: Annotated[tuple[Example, ...], Field(min_length=1)]
    bad: Annotated[tuple[Example, ...], Field(min_length=1)]
    raised_by: tuple[Signal, ...] = ()
    lowered_by: tuple[Signal, ...] = ()
    moves: tuple[Signal, ...] = Field(
        default=(), description="The behaviours that are this rubric's own move"
    )
    applies_when: tuple[Signal, ...] = Field(
        default=(), description="Signals of a miss that make the rubric apply to a reply at any moment"
    )
    caps: tuple[Cap, ...] = ()

    @field_validator("levels")
    @classmethod
    def _four_levels(cls, levels: tuple[Level, ...]) -> tuple[Level, ...]:
        if [level.score for level in levels] != [0, 1, 2, 3]:
            raise ValueError("give exactly the scores 0, 1, 2, 3, in that order")
        return levels

    @model_validator(mode="after")
    def _examples_match(self) -> Rubric:
        for index, example in enumerate(self.good):
            if example.score < 2:
                raise ValueError(f"good[{index}].score: a good example scores 2 or 3")
        for index, example in enumerate(self.bad):
            if example.score > 1:
                raise ValueError(f"bad[{index}].score: a bad example scores 0 or 1")
        return self

    def anchor(self, score: int) -> str:
        return self.levels[score].anchor


class RubricFile(BaseModel):
    """The file as written: the five rubrics and the tie-break order for tips."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rubrics: tuple[Rubric, ...]
    tip_priority: tuple[RubricName, ...] = Field(
        description="Which rubric a tip aims at when several share the lowest score, most important first"
    )
    moments: MomentTable = Field(description="What each moment of the exercise calls for")

    @model_validator(mode="after")
    def _complete(self) -> RubricFile:
        names = [r.name for r in self.rubrics]
        duplicated = sorted({n.value for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"rubrics: each rubric once, repeated: {', '.join(duplicated)}")
        missing = [n.value for n in RubricName if n not in names]
        if missing:
            raise ValueError(f"rubrics: missing {', '.join(missing)}")
        if sorted(self.tip_priority) != sorted(RubricName):
            raise ValueError("tip_priority: list every rubric exactly once")
        return self


@dataclass(frozen=True)
class RubricSet:
    """All five rubrics, each exactly once; iterating yields them in ``RubricName`` order."""

    by_name: Mapping[RubricName, Rubric]
    tip_priority: tuple[RubricName, ...]
    moments: MomentTable

    @classmethod
    def from_file(cls, data: RubricFile) -> RubricSet:
        return cls(
            by_name=MappingProxyType({r.name: r for r in data.rubrics}),
            tip_priority=data.tip_priority,
            moments=data.moments,
        )

    def get(self, name: RubricName) -> Rubric:
        return self.by_name[name]

    def __iter__(self) -> Iterator[Rubric]:
        return (self.by_name[name] for name in RubricName)

    def __len__(self) -> int:
        return len(self.by_name)


def load_rubrics(path: Path) -> RubricSet:
    """Read and validate ``rubrics.yaml``; any problem is a ContentError naming the file and field."""
    return RubricSet.from_file(validate_content(RubricFile, read_yaml(path), path))
