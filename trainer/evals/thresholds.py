"""The gates: per engine, the least (``min``) or most (``max``) each named metric may be.

``evals/thresholds.yaml`` = ``{<engine>: {min: {metric: value}, max: {metric: value}}}``. A metric
named in a gate but missing from the run (its suite did not run) is not checked; a metric of a suite
that did run but is missing (e.g. a code that no case predicted) counts as 0.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from trainer.evals.cases import load_model_file
from trainer.evals.results import EvalReport


class Gate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: dict[str, float] = Field(default_factory=dict)
    max: dict[str, float] = Field(default_factory=dict)


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: Gate = Field(default_factory=Gate)
    replay: Gate = Field(default_factory=Gate)
    live: Gate = Field(default_factory=Gate)

    def gate(self, engine: str) -> Gate:
        gate: Gate = getattr(self, engine)
        return gate


def load_thresholds(path: Path) -> Thresholds:
    return load_model_file(path, Thresholds)


def check(report: EvalReport, thresholds: Thresholds) -> list[str]:
    """Every failed gate, as a sentence; empty when the run passes."""
    gate = thresholds.gate(report.engine)
    failures: list[str] = []
    for bound, limits in (("min", gate.min), ("max", gate.max)):
        for name, limit in sorted(limits.items()):
            suite = name.split(".", 1)[0]
            if (
                suite in ("replies", "adversarial", "conversations", "paraphrases", "moments", "screen")
                and suite not in report.suites
            ):
                continue
            value = report.metrics.get(name, 0.0)
            if bound == "min" and value < limit:
                failures.append(f"{name} = {value:.3f}, below the threshold {limit:.3f}")
            if bound == "max" and value > limit:
                failures.append(f"{name} = {value:.3f}, above the threshold {limit:.3f}")
    return failures
