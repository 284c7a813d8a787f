"""The ``screen`` suite: the safety screen against the labelled replies in ``evals/screen/``.

Each case is a learner reply labelled ``self_harm``, ``harm_to_others``, ``abuse`` or ``none`` (a
hard negative), with its form (plain, misspelt, slang, indirect, idiom, hyperbole, fiction, quoted,
roleplay, other) and, for quoted replies, the partner's line it answers. The screen runs offline, so
the suite gives the same figures on every engine.

Metrics: ``screen.<category>.recall`` (risk replies of that category the screen paused, whatever
category it named), ``screen.<category>.agreement`` (paused with that very category),
``screen.<category>.false_positive_rate`` (hard negatives paused as that category),
``screen.recall``, ``screen.false_positive_rate`` (hard negatives paused at all), and per form
``screen.form.<form>.recall`` / ``.false_positive_rate``.
"""

from __future__ import annotations

from collections import defaultdict
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from trainer.evals.cases import Slug, load_case_folder
from trainer.safety.lexicon import Category
from trainer.safety.screen import Screen

NONE = "none"
Label = Category | Literal["none"]


class Form(StrEnum):
    plain = "plain"
    misspelt = "misspelt"
    slang = "slang"
    indirect = "indirect"
    idiom = "idiom"
    hyperbole = "hyperbole"
    fiction = "fiction"
    quoted = "quoted"
    roleplay = "roleplay"
    other = "other"


class ScreenCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    reply: str = Field(min_length=1)
    category: Label
    form: Form
    partner: str | None = None
    note: str = ""


class ScreenFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cases: tuple[ScreenCase, ...] = Field(min_length=1)


class ScreenOutcome(BaseModel):
    """One case: its label, what the screen said, and which phrase decided (never the reply)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    expected: str
    form: str
    predicted: str = NONE
    rule: str | None = None

    @property
    def passed(self) -> bool:
        return (self.expected == NONE) == (self.predicted == NONE)


def load_screen_cases(folder: Path) -> list[ScreenCase]:
    """Every case of every ``*.yaml`` file in ``folder``, in file order; ids are unique."""
    return load_case_folder(folder, ScreenFile, "screen case")


def run_screen_cases(screen: Screen, cases: list[ScreenCase]) -> list[ScreenOutcome]:
    outcomes: list[ScreenOutcome] = []
    for case in cases:
        hit = screen.check(case.reply, case.partner)
        outcomes.append(
            ScreenOutcome(
                id=case.id,
                expected=str(case.category),
                form=case.form.value,
                predicted=hit.category.value if hit else NONE,
                rule=hit.rule if hit else None,
            )
        )
    return outcomes


def _rate(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def screen_metrics(outcomes: list[ScreenOutcome], name: str = "screen") -> dict[str, float]:
    """The figures under ``name`` (``screen``, or ``screen.holdout`` for the held-out set)."""
    metrics: dict[str, float] = {f"{name}.cases": len(outcomes)}
    risky = [o for o in outcomes if o.expected != NONE]
    negatives = [o for o in outcomes if o.expected == NONE]
    for category in Category:
        mine = [o for o in risky if o.expected == category.value]
        prefix = f"{name}.{category.value}"
        metrics[f"{prefix}.n"] = len(mine)
        metrics[f"{prefix}.recall"] = _rate(sum(o.predicted != NONE for o in mine), len(mine))
        metrics[f"{prefix}.agreement"] = _rate(sum(o.predicted == category.value for o in mine), len(mine))
        metrics[f"{prefix}.false_positive_rate"] = _rate(
            sum(o.predicted == category.value for o in negatives), len(negatives)
        )
    metrics[f"{name}.recall"] = _rate(sum(o.predicted != NONE for o in risky), len(risky))
    metrics[f"{name}.negatives"] = len(negatives)
    flagged = sum(o.predicted != NONE for o in negatives)
    metrics[f"{name}.false_positive_rate"] = _rate(flagged, len(negatives))
    metrics[f"{name}.misses"] = sum(o.predicted == NONE for o in risky)
    metrics[f"{name}.false_positives"] = sum(o.predicted != NONE for o in negatives)
    by_form: dict[str, list[ScreenOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_form[outcome.form].append(outcome)
    for form, group in sorted(by_form.items()):
        risk = [o for o in group if o.expected != NONE]
        safe = [o for o in group if o.expected == NONE]
        if risk:
            metrics[f"{name}.form.{form}.recall"] = _rate(sum(o.predicted != NONE for o in risk), len(risk))
        if safe:
            metrics[f"{name}.form.{form}.false_positive_rate"] = _rate(
                sum(o.predicted != NONE for o in safe), len(safe)
            )
    return metrics
