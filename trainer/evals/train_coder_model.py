"""Train the coder's learned part on ``trainer/data/coder-training/`` and write its weights.

    python -m trainer.evals.train_coder_model          # cross-validate, train on everything, write
    python -m trainer.evals.train_coder_model --check  # retrain and compare with the shipped file

Only ``coder-training/*.yaml`` is read: listener replies written for this project and labelled by
the definitions in docs/design.md (provenance in that folder's README). No public dataset and no
eval case is read. Each reply is first coded by the rules alone (``RulesCoder(learned=False)``), so
the model learns from what the rules read and found, as it does when it runs.

Training is deterministic: independent logistic regressions (one per code) by stochastic gradient
descent with a fixed seed, epochs and schedule, plain Python floats. The thresholds come from 5-fold
cross-validation: per code, the probability on a grid at which adding what the rules missed gives
the best F1 on the held-out folds (F0.25 for advice and self_focus, where a code the learner did not
show is the worse error: a caring reply read as advice makes the partner feel fixed, and the learner
is told off for what they did not do; F0.5 for validation, where it is praise for a move the learner
did not make: at F1 its threshold sat at 0.5, and each retraining moved a few of the project's own
replies in or out), kept only when it beats the rules alone by half a point;
otherwise the code is left to the rules (a threshold above 1). Of thresholds within 0.003 of the best,
the highest is kept: the grid's F-beta is flat near its top, and the argmax alone moved a threshold
by a step, and with it a few of the project's own replies, on retrainings that changed nothing of
that code's data.
"""

from __future__ import annotations

import random
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from trainer.coding.coder import RulesCoder
from trainer.coding.learned import DEFAULT_BUCKETS, MODEL_FILE, CoderModel, Reading
from trainer.evals.cases import Slug, load_case_folder
from trainer.evals.training import provenance, run
from trainer.learning.features import hashed, sigmoid
from trainer.learning.weights import quantise
from trainer.settings import DATA_DIR
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import GradeContext

MODULE = "trainer.evals.train_coder_model"
DATA = DATA_DIR / "coder-training"
# Invalidation is left to the rules: the model read "that's not dramatic at all" as one, and telling
# a learner they dismissed what they validated teaches the opposite of the exercise.
CODES: tuple[Code, ...] = (Code.reflection, Code.validation, Code.empathy, Code.advice, Code.self_focus)
# A harmful code the learner did not show is the worse error: its threshold weighs precision twice.
# The F-beta each threshold is chosen by (beta below 1 weighs precision; see the docstring); others F1.
BETA: dict[Code, float] = {Code.advice: 0.25, Code.self_focus: 0.25, Code.validation: 0.5}
SEED = 23
EPOCHS = 10
LEARNING_RATE = 0.1
L2 = 1e-4
FOLDS = 5
GRID = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
RULES_ONLY = 2.0  # a threshold no probability reaches
MARGIN = 0.005  # how much a threshold must beat the rules alone by
TOLERANCE = 0.003  # F-beta differences on held-out folds that are within noise


class TrainingReply(BaseModel):
    """A listener's reply to a partner's line, with every behaviour it shows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    partner: str = Field(min_length=1)
    reply: str = Field(min_length=1)
    codes: tuple[Code, ...]


class TrainingFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cases: tuple[TrainingReply, ...] = Field(min_length=1)


def load_training(folder: Path = DATA) -> list[TrainingReply]:
    cases: list[TrainingReply] = load_case_folder(folder, TrainingFile, "training reply")
    return cases


@dataclass(frozen=True)
class Example:
    case: TrainingReply
    slots: list[int] | None
    rules: frozenset[Code]
    labels: frozenset[Code]


class _Recorder(CoderModel):
    """A model that adds nothing and keeps what the second look gave it to read."""

    def __init__(self, buckets: int) -> None:
        zeros = array("b", bytes(buckets * len(CODES)))
        super().__init__(CODES, zeros, 1.0, [0.0] * len(CODES), [RULES_ONLY] * len(CODES), buckets)
        self.last: Reading | None = None

    def probabilities(self, reading: Reading) -> dict[Code, float]:
        self.last = reading
        return dict.fromkeys(self.codes, 0.0)


def examples(cases: Sequence[TrainingReply], buckets: int) -> list[Example]:
    """Each reply read as the coder's second look reads it (the sentences the rules found nothing in,
    and the codes they found), by running the coder with a model that only records its reading.
    A reply the second look does not read (every sentence coded, another language) has no slots: it
    counts in the figures as the rules code it, and trains nothing."""
    recorder = _Recorder(buckets)
    coder = RulesCoder(recorder)
    out: list[Example] = []
    for case in cases:
        recorder.last = None
        coder.code(case.reply, GradeContext(partner=case.partner))
        reading = recorder.last
        if reading is None:
            rules = coder.code(case.reply, GradeContext(partner=case.partner)).codes
            out.append(Example(case, None, frozenset(rules), frozenset(case.codes)))
            continue
        found = frozenset(
            Code(fact[2:]) for fact in reading.facts if fact.startswith("r:") and fact != "r:none"
        )
        slots = hashed(reading.sentences, buckets, reading.facts)
        out.append(Example(case, slots, found, frozenset(case.codes)))
    return out


def train(data: Sequence[Example], buckets: int) -> tuple[list[float], list[float]]:
    """Float weights (slot-major) and biases, one logistic regression per code."""
    width = len(CODES)
    weights = [0.0] * (buckets * width)
    bias = [0.0] * width
    readable = [e for e in data if e.slots is not None]
    order = list(range(len(readable)))
    rng = random.Random(SEED)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = LEARNING_RATE / (1.0 + 0.5 * epoch)
        for index in order:
            example = readable[index]
            slots = example.slots or []
            scores = list(bias)
            for slot in slots:
                base = slot * width
                for k in range(width):
                    scores[k] += weights[base + k]
            gradient = [
                sigmoid(score) - (1.0 if code in example.labels else 0.0)
                for score, code in zip(scores, CODES, strict=True)
            ]
            for k in range(width):
                bias[k] -= rate * gradient[k]
            for slot in slots:
                base = slot * width
                for k in range(width):
                    w = weights[base + k]
                    weights[base + k] = w - rate * (gradient[k] + L2 * w)
    return weights, bias


def model_of(
    weights: Sequence[float], bias: Sequence[float], thresholds: Sequence[float], buckets: int
) -> CoderModel:
    quantised, scale = quantise(weights)
    return CoderModel(CODES, quantised, scale, [round(b, 6) for b in bias], thresholds, buckets)


def _f1(pairs: Sequence[tuple[bool, bool]], beta: float = 1.0) -> float:
    """F-beta of (predicted, actual) pairs; beta below 1 weighs precision more."""
    true_pos = sum(p and g for p, g in pairs)
    predicted = sum(p for p, _ in pairs)
    actual = sum(g for _, g in pairs)
    weight = beta * beta
    denominator = weight * actual + predicted
    return (1 + weight) * true_pos / denominator if denominator else 1.0


def chosen_threshold(scored: Sequence[tuple[float, float]], rules_f: float) -> float:
    """The threshold to ship, from (threshold, F-beta on held-out folds) pairs: the highest one whose
    F-beta is within ``TOLERANCE`` of the best, so that a difference the folds cannot tell apart
    neither moves the threshold between retrainings nor buys recall with precision; ``RULES_ONLY``
    when no threshold beats the rules alone by ``MARGIN``."""
    useful = [(threshold, f) for threshold, f in scored if f > rules_f + MARGIN]
    if not useful:
        return RULES_ONLY
    best_f = max(f for _, f in useful)
    return max(threshold for threshold, f in useful if f >= best_f - TOLERANCE)


def cross_validate(data: Sequence[Example], buckets: int) -> tuple[list[float], dict[str, object]]:
    """Per code, the thresholds that serve the rules with the model best on held-out folds."""
    probabilities: list[list[float]] = [[0.0] * len(CODES) for _ in data]
    for fold in range(FOLDS):
        held = [i for i in range(len(data)) if i % FOLDS == fold]
        weights, bias = train([e for i, e in enumerate(data) if i % FOLDS != fold], buckets)
        model = model_of(weights, bias, [RULES_ONLY] * len(CODES), buckets)
        for index in held:
            slots = data[index].slots
            if slots is not None:  # a reply the second look does not read keeps the rules' codes
                probabilities[index] = [sigmoid(s) for s in model.scores(slots)]
        print(f"fold {fold + 1}/{FOLDS} done", file=sys.stderr)
    thresholds: list[float] = []
    report: dict[str, object] = {"folds": FOLDS, "replies": len(data)}
    for k, code in enumerate(CODES):
        gold = [code in e.labels for e in data]
        rules = [code in e.rules for e in data]
        beta = BETA.get(code, 1.0)
        rules_f = _f1(list(zip(rules, gold, strict=True)), beta)
        rows = list(zip(rules, probabilities, gold, strict=True))
        scored = [(t, _f1([(r or p[k] >= t, g) for r, p, g in rows], beta)) for t in GRID]
        best = chosen_threshold(scored, rules_f)
        thresholds.append(best)
        decided = [r or p[k] >= best for r, p in zip(rules, probabilities, strict=True)]
        report[code.value] = {
            "rules_f1": round(_f1(list(zip(rules, gold, strict=True))), 4),
            "with_model_f1": round(_f1(list(zip(decided, gold, strict=True))), 4),
            "chosen_by": f"F{beta:g}",
            "threshold": best,
            "positives": sum(gold),
        }
    return thresholds, report


def build(
    folder: Path = DATA, buckets: int = DEFAULT_BUCKETS, cv: bool = True
) -> tuple[CoderModel, dict[str, object]]:
    cases = load_training(folder)
    data = examples(cases, buckets)
    thresholds = [RULES_ONLY] * len(CODES)
    report: dict[str, object] = {}
    if cv:
        thresholds, report = cross_validate(data, buckets)
    weights, bias = train(data, buckets)
    model = model_of(weights, bias, thresholds, buckets)
    made = provenance(
        model,
        data=f"coder-training/*.yaml ({len(cases)} replies written for this project; see its README.md)",
        module=MODULE,
        hyper={"seed": SEED, "epochs": EPOCHS, "learning_rate": LEARNING_RATE, "l2": L2},
        report=report,
    )
    return model, made


def main(argv: Sequence[str] | None = None) -> int:
    return run(
        argv,
        module=MODULE,
        description=__doc__.split("\n")[0],
        out=MODEL_FILE,
        build=lambda cv: build(cv=cv),
        load=CoderModel.from_json,
        summary=lambda _, report: [f"{code.value} {report[code.value]}" for code in CODES],
    )


if __name__ == "__main__":
    raise SystemExit(main())
