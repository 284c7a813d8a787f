"""The moments of the six-step exercise and what each calls for: the ``moments`` table of
``rubrics.yaml`` (written to be read by a facilitator as well as by the grader).

The moment of a reply is the partner's stage when the learner replies. Each moment names the moves
that meet it (behaviour codes) and the rubrics it calls for. A rubric applies to a reply (the
``applicable`` flag beside its score) when:

1. it applies at every moment (``every_moment``: not fixing and partner focus);
2. the reply shows a miss the rubric measures (its ``applies_when``: a dismissal makes validation
   apply anywhere);
3. the reply made the rubric's own move (its ``moves``) and that move meets the moment, or the reply
   made none of the moment's moves (the learner chose another move and is graded on it); or
4. the moment calls for it and the reply made none of the moment's moves.

So a moment met one way is not marked down for the other (an open question at "understood" is no
missing validation), and a reflection slipped into a validation is not graded as a reflection.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from trainer.content.scenario import Stage
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import RubricName

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=400)]


class Moment(BaseModel):
    """One row of the table: the stages it covers, the moment in words, its moves and rubrics."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stages: Annotated[tuple[Stage, ...], Field(min_length=1)]
    moment: Text = Field(description="The moment, in the exercise's terms")
    calls_for: Text = Field(description="What the listener's reply should do now, in a sentence")
    moves: Annotated[tuple[Code, ...], Field(min_length=1)] = Field(
        description="Behaviours that meet the moment"
    )
    rubrics: tuple[RubricName, ...] = Field(
        default=(), description="Rubrics the moment calls for (besides every_moment)"
    )


class MomentTable(BaseModel):
    """Every stage in exactly one row, and the rubrics that apply at every moment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    every_moment: tuple[RubricName, ...]
    table: Annotated[tuple[Moment, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _every_stage_once(self) -> Self:
        seen: dict[Stage, int] = {}
        for index, row in enumerate(self.table):
            for stage in row.stages:
                if stage in seen:
                    raise ValueError(
                        f"table[{index}].stages: {stage.value} is already in table[{seen[stage]}]"
                    )
                seen[stage] = index
        missing = [stage.value for stage in Stage if stage not in seen]
        if missing:
            raise ValueError(f"table: no row for {', '.join(missing)}")
        return self

    def at(self, stage: Stage) -> Moment:
        """The row for ``stage`` (the validator makes sure there is exactly one)."""
        return next(row for row in self.table if stage in row.stages)
