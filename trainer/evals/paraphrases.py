"""The paraphrase suite: does the partner hear a key point by meaning (``evals/paraphrases/``)?

Each case is a learner reply labelled with the key points it really restates. The matcher
(``trainer.partner.hearing``) is scored on (case, key point) pairs, per scenario and overall:
recall = labelled pairs it hears / labelled pairs, precision = labelled pairs it hears / pairs it
hears. ``split.yaml`` names the scenarios whose cases were used to tune the word lists; the others
are held out and reported on their own, so the figures show how the matcher does on cases nobody
tuned against. The literal cue check (a point counts when one of its ``cues`` starts a word of the
reply) is reported beside it as the baseline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from trainer.content.loader import read_yaml, validate_content
from trainer.content.scenario import Scenario, mentions
from trainer.partner.hearing import heard_points
from trainer.vocabulary.errors import ContentError

SPLIT_FILE = "split.yaml"


class Kind(StrEnum):
    paraphrase = "paraphrase"
    literal = "literal"
    partial = "partial"
    negated = "negated"
    unrelated = "unrelated"
    wrong = "wrong"


class ParaphraseCase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    reply: Annotated[str, StringConstraints(min_length=1)]
    covers: tuple[str, ...]
    kind: Kind
    history: tuple[str, ...] = ()
    note: str = ""


class ParaphraseFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: str
    cases: Annotated[tuple[ParaphraseCase, ...], Field(min_length=1)]


class Split(BaseModel):
    """Which scenarios' cases the word lists were tuned on; the rest are held out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tuned: tuple[str, ...]
    held_out: tuple[str, ...]

    @model_validator(mode="after")
    def _disjoint(self) -> Split:
        both = set(self.tuned) & set(self.held_out)
        if both:
            raise ValueError(f"in both halves: {', '.join(sorted(both))}")
        return self


class PairCounts(BaseModel):
    """Counts over (case, key point) pairs."""

    model_config = ConfigDict(extra="forbid")

    found: int = 0  # labelled pairs the matcher heard
    missed: int = 0  # labelled pairs it did not hear
    false: int = 0  # pairs it heard that are not labelled

    def add(self, other: PairCounts) -> None:
        self.found += other.found
        self.missed += other.missed
        self.false += other.false

    @property
    def recall(self) -> float:
        labelled = self.found + self.missed
        return self.found / labelled if labelled else 1.0

    @property
    def precision(self) -> float:
        heard = self.found + self.false
        return self.found / heard if heard else 1.0


class CaseResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    scenario: str
    kind: Kind
    covers: list[str]
    heard: list[str]
    cues: list[str]

    @property
    def correct(self) -> bool:
        return sorted(self.covers) == sorted(self.heard)


class ParaphraseReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[CaseResult] = Field(default_factory=list)
    tuned: list[str] = Field(default_factory=list)
    held_out: list[str] = Field(default_factory=list)

    def counts(self, scenarios: Sequence[str] | None = None, *, cues: bool = False) -> PairCounts:
        total = PairCounts()
        for case in self.cases:
            if scenarios is None or case.scenario in scenarios:
                total.add(_pairs(case.covers, case.cues if cues else case.heard))
        return total

    def metrics(self) -> dict[str, float]:
        if not self.cases:
            return {}
        out: dict[str, float] = {"paraphrases.cases": float(len(self.cases))}
        groups: dict[str, Sequence[str] | None] = {"": None, "tuned.": self.tuned, "held_out.": self.held_out}
        for prefix, members in groups.items():
            counts = self.counts(members)
            out[f"paraphrases.{prefix}recall"] = round(counts.recall, 4)
            out[f"paraphrases.{prefix}precision"] = round(counts.precision, 4)
        baseline = self.counts(cues=True)
        out["paraphrases.cues.recall"] = round(baseline.recall, 4)
        out["paraphrases.cues.precision"] = round(baseline.precision, 4)
        for scenario in sorted({case.scenario for case in self.cases}):
            counts = self.counts([scenario])
            out[f"paraphrases.scenario.{scenario}.recall"] = round(counts.recall, 4)
            out[f"paraphrases.scenario.{scenario}.precision"] = round(counts.precision, 4)
        return out


def _pairs(labelled: Sequence[str], heard: Sequence[str]) -> PairCounts:
    truth, found = set(labelled), set(heard)
    return PairCounts(found=len(truth & found), missed=len(truth - found), false=len(found - truth))


def load_paraphrases(folder: Path, scenarios: Mapping[str, Scenario]) -> tuple[list[ParaphraseFile], Split]:
    """Every ``<scenario>.yaml`` in ``folder`` and its ``split.yaml``; labels must name real key points."""
    files: list[ParaphraseFile] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        if path.name == SPLIT_FILE:
            continue
        data = validate_content(ParaphraseFile, read_yaml(path), path)
        scenario = scenarios.get(data.scenario)
        if scenario is None or data.scenario != path.stem:
            raise ContentError(
                str(path), f"scenario: {data.scenario!r} is not the scenario this file is named for"
            )
        points = {point.id for point in scenario.key_points}
        for index, case in enumerate(data.cases):
            unknown = sorted(set(case.covers) - points)
            if unknown:
                raise ContentError(str(path), f"cases[{index}].covers: no key point {', '.join(unknown)}")
            if case.id in seen:
                raise ContentError(str(path), f"cases[{index}].id: {case.id!r} is used twice")
            seen.add(case.id)
        files.append(data)
    split = validate_content(Split, read_yaml(folder / SPLIT_FILE), folder / SPLIT_FILE)
    named = {f.scenario for f in files}
    unsplit = sorted(named - set(split.tuned) - set(split.held_out))
    if unsplit:
        raise ContentError(str(folder / SPLIT_FILE), f"no half for {', '.join(unsplit)}")
    return files, split


def cue_points(scenario: Scenario, reply: str) -> list[str]:
    """The literal baseline: a point counts when any of its cues starts a word of the reply."""
    return [p.id for p in scenario.key_points if any(mentions(reply, cue) for cue in p.cues)]


def run_paraphrases(folder: Path, scenarios: Mapping[str, Scenario]) -> ParaphraseReport:
    files, split = load_paraphrases(folder, scenarios)
    report = ParaphraseReport(tuned=list(split.tuned), held_out=list(split.held_out))
    for data in files:
        scenario = scenarios[data.scenario]
        for case in data.cases:
            report.cases.append(
                CaseResult(
                    id=case.id,
                    scenario=data.scenario,
                    kind=case.kind,
                    covers=list(case.covers),
                    heard=list(heard_points(scenario, case.reply, case.history)),
                    cues=cue_points(scenario, case.reply),
                )
            )
    return report
