"""The words the learner reads, from ``feedback.yaml`` beside ``rubrics.yaml``: tips and report copy.

Loaded once and checked (pydantic, ``extra="forbid"``): every rubric has its fallback tips ("*"),
every list of wordings has two at least (consecutive tips must differ), a tip uses only ``{feeling}``,
``{quote}``, ``{said}`` and ``{miss}`` (every ``missed_again`` hint uses ``{said}``), a report sentence
only the fields it is given; a bad file stops with the file and the field.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from trainer.content.loader import read_yaml, validate_content
from trainer.settings import DATA_DIR
from trainer.vocabulary.grades import RubricName

FEEDBACK_PATH = DATA_DIR / "feedback.yaml"
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
Wording = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=10, max_length=400),
    _only("feeling", "quote", "said", "miss"),
]
Variants = Annotated[tuple[Wording, ...], Field(min_length=2)]


def _names_the_point(levels: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    for level, variants in enumerate(levels):
        for text in variants:
            if "said" not in _fields_of(text):
                raise ValueError(f"level {level}: each wording names the missed point ({{said}}): {text!r}")
    return levels


MissedAgain = Annotated[tuple[Variants, ...], Field(min_length=1), AfterValidator(_names_the_point)]


class RubricTips(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rubric: RubricName
    cause: str = Field(min_length=1, description='The judgement that decided the score, or "*" for any')
    variants: Variants


class NextSteps(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    check: Variants
    after_question: Variants
    after_repair: Variants
    clarify: Variants
    understood: Variants
    deepening: Variants
    empathy: Variants
    done: Variants
    empathy_good_news: Variants
    ideas_asked: Variants


class TipBook(BaseModel):
    """The ``tips`` of ``feedback.yaml`` as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rubric_tips: tuple[RubricTips, ...]
    good_news_tips: tuple[RubricTips, ...]
    next_steps: NextSteps
    repair: Variants
    misses: dict[str, str]
    unreadable: Variants
    missed_again: MissedAgain
    """Hints for a reflection that still leaves out a point the partner named before, one level per
    earlier naming (the last level stays): each names the point, each more plainly than the last."""

    def hint_level(self, named_before: int) -> int:
        """The ``missed_again`` level for a point the partner had named ``named_before`` (>= 1) times."""
        return min(named_before, len(self.missed_again)) - 1

    def for_rubric(self, rubric: RubricName, cause: str, good_news: bool) -> tuple[str, ...]:
        """The wordings for ``rubric`` and ``cause`` (or its fallback), good news first when it is."""
        books = (self.good_news_tips, self.rubric_tips) if good_news else (self.rubric_tips,)
        for book in books:
            for wanted in (cause, "*"):
                for tips in book:
                    if tips.rubric is rubric and tips.cause == wanted:
                        return tips.variants
        raise KeyError(f"feedback.yaml: no tips for {rubric.value}")


class ReportCopy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    completed: Annotated[Text, _only()]
    practise_next: Annotated[Text, _only("rubric", "anchor")]
    practise_next_unknown: Annotated[Text, _only("rubric")]


class Feedback(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fallback_feeling: Text
    tips: TipBook
    report: ReportCopy

    @model_validator(mode="after")
    def _every_rubric_has_a_fallback(self) -> Feedback:
        for rubric in RubricName:
            if not any(t.rubric is rubric and t.cause == FALLBACK for t in self.tips.rubric_tips):
                raise ValueError(
                    f"tips.rubric_tips: {rubric.value} needs fallback tips under cause {FALLBACK!r}"
                )
        return self


def load_feedback(path: Path = FEEDBACK_PATH) -> Feedback:
    return validate_content(Feedback, read_yaml(path), path)


FEEDBACK = load_feedback()
