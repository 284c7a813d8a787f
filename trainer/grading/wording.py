"""The words the learner reads, from ``feedback.yaml`` beside ``rubrics.yaml``: tips and report copy.

Loaded once and checked (pydantic, ``extra="forbid"``): every rubric has its fallback tips ("*"), a
tip uses only ``{feeling}`` and ``{missed}``, a report sentence only the fields it is given; a bad file
stops with the file and the field.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from trainer.content.loader import read_yaml, validate_content
from trainer.settings import PROJECT_ROOT
from trainer.vocabulary.grades import RubricName

FEEDBACK_PATH = PROJECT_ROOT / "feedback.yaml"
FALLBACK = "*"


def _fields_of(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _only(*allowed: str) -> AfterValidator:
    def check(text: str) -> str:
        unknown = _fields_of(text) - set(allowed)
        if unknown:
            named = ", ".join("{" + name + "}" for name in sorted(unknown))
            raise ValueError(f"unknown placeholder {named}; this text may use {', '.join(allowed) or 'none'}")
        return text

    return AfterValidator(check)


Text = Annotated[str, StringConstraints(min_length=1)]
Tip = Annotated[Text, _only("feeling", "missed")]
Variants = Annotated[list[Tip], Field(min_length=1)]


class NextSteps(BaseModel):
    model_config = ConfigDict(extra="forbid")

    check: Variants
    empathy: Variants
    done: Variants


class ReportCopy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    went_well: Annotated[Text, _only("rubric", "mean")]
    ending_on: Annotated[Text, _only("last")]
    completed: Annotated[Text, _only()]
    practise_next: Annotated[Text, _only("rubric", "anchor")]
    practise_next_unknown: Annotated[Text, _only("rubric")]


class Feedback(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fallback_feeling: Text
    tips: dict[RubricName, dict[str, Variants]]
    next_step: NextSteps
    report: ReportCopy

    @model_validator(mode="after")
    def _every_rubric_has_a_fallback(self) -> Feedback:
        for rubric in RubricName:
            if FALLBACK not in self.tips.get(rubric, {}):
                raise ValueError(f"tips.{rubric.value}: needs fallback tips under {FALLBACK!r}")
        return self


def load_feedback(path: Path = FEEDBACK_PATH) -> Feedback:
    return validate_content(Feedback, read_yaml(path), path)


FEEDBACK = load_feedback()
