"""Train the coder's learned part on ``trainer/data/coder-training/`` and write its weights.

    python -m trainer.evals.train_coder_model          # cross-validate, train on everything, write
    python -m trainer.evals.train_coder_model --check  # retrain and compare with the shipped file

Only ``coder-training/*.yaml`` is read: listener replies written for this project and labelled by
the definitions in docs/design.md (provenance in that folder's README). No public dataset and no
eval case is read. Each reply is first coded by the rules alone (``RulesCoder(learned=False)``), so
the model learns from what the rules read and found, as it does when it runs.

Training is deterministic: independent logistic regressions (one per code) by stochastic gradient
descent with a fixed seed, epochs and schedule, plain Python floats. The thresholds come from 5-fold
cross-validation: per code, the pair (add, drop) on a grid that gives the rules with the model the
best F1 on the held-out folds, kept only when it beats the rules alone; otherwise the code is left
to the rules (add above 1, drop 0).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from trainer.coding.coder import RulesCoder
from trainer.coding.learned import DEFAULT_BUCKETS, MODEL_FILE, CoderModel, Thresholds, reading_of
from trainer.coding.partner_line import PartnerLine
from trainer.coding.text import normalise, words
from trainer.evals.cases import Slug, load_case_folder
from trainer.learning.features import hashed, sigmoid
from trainer.learning.weights import quantise
from trainer.settings import DATA_DIR
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import GradeContext

DATA = DATA_DIR / "coder-training"
CODES: tuple[Code, ...] = (
    Code.reflection,
    Code.validation,
    Code.empathy,
    Code.advice,
    Code.invalidation,
    Code.self_focus,
)
SEED = 23
EPOCHS = 10
LEARNING_RATE = 0.1
L2 = 1e-4
FOLDS = 5
ADD_GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 2.0)  # 2.0: never add
DROP_GRID = (0.0, 0.02, 0.05, 0.1, 0.2)


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
    slots: list[int]
    rules: frozenset[Code]
    labels: frozenset[Code]


def examples(cases: Sequence[TrainingReply], buckets: int) -> list[Example]:
    """Each reply read as the coder's second look reads it, with what the rules alone found (the
    codes they settle on before the second look: not disengagement, which comes after it)."""
    coder = RulesCoder(learned=False)
    out: list[Example] = []
    for case in cases:
        coding = coder.code(case.reply, GradeContext(partner=case.partner))
        found = frozenset(b.code for b in coding.behaviours if b.code is not Code.disengagement)
        texts = [sentence.text for sentence in normalise(case.reply).sentences()]
        reply_words = [word for text in texts for word in words(text)]
        reading = reading_of(found, texts, reply_words, PartnerLine(case.partner, ()))
        slots = hashed(reading.sentences, buckets, reading.facts)
        out.append(Example(case, slots, found, frozenset(case.codes)))
    return out


_RULES_ONLY = Thresholds(add=2.0, drop=0.0)


def train(data: Sequence[Example], buckets: int) -> tuple[list[float], list[float]]:
    """Float weights (slot-major) and biases, one logistic regression per code."""
    width = len(CODES)
    weights = [0.0] * (buckets * width)
    bias = [0.0] * width
    order = list(range(len(data)))
    rng = random.Random(SEED)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = LEARNING_RATE / (1.0 + 0.5 * epoch)
        for index in order:
            example = data[index]
            for k, code in enumerate(CODES):
                score = bias[k] + sum(weights[slot * width + k] for slot in example.slots)
                gradient = sigmoid(score) - (1.0 if code in example.labels else 0.0)
                bias[k] -= rate * gradient
                for slot in example.slots:
                    at = slot * width + k
                    w = weights[at]
                    weights[at] = w - rate * (gradient + L2 * w)
    return weights, bias


def model_of(
    weights: Sequence[float], bias: Sequence[float], thresholds: Sequence[Thresholds], buckets: int
) -> CoderModel:
    quantised, scale = quantise(weights)
    return CoderModel(CODES, quantised, scale, [round(b, 6) for b in bias], thresholds, buckets)


def _f1(pairs: Sequence[tuple[bool, bool]]) -> float:
    true_pos = sum(p and g for p, g in pairs)
    predicted = sum(p for p, _ in pairs)
    actual = sum(g for _, g in pairs)
    return 2 * true_pos / (predicted + actual) if predicted + actual else 1.0


def cross_validate(data: Sequence[Example], buckets: int) -> tuple[list[Thresholds], dict[str, object]]:
    """Per code, the thresholds that serve the rules with the model best on held-out folds."""
    probabilities: list[list[float]] = [[0.0] * len(CODES) for _ in data]
    for fold in range(FOLDS):
        held = [i for i in range(len(data)) if i % FOLDS == fold]
        weights, bias = train([e for i, e in enumerate(data) if i % FOLDS != fold], buckets)
        model = model_of(weights, bias, [_RULES_ONLY] * len(CODES), buckets)
        for index in held:
            probabilities[index] = [sigmoid(s) for s in model.scores(data[index].slots)]
        print(f"fold {fold + 1}/{FOLDS} done", file=sys.stderr)
    thresholds: list[Thresholds] = []
    report: dict[str, object] = {"folds": FOLDS, "replies": len(data)}
    for k, code in enumerate(CODES):
        gold = [code in e.labels for e in data]
        rules = [code in e.rules for e in data]
        rules_f1 = _f1(list(zip(rules, gold, strict=True)))
        best = (rules_f1, _RULES_ONLY)
        for add in ADD_GRID:
            for drop in DROP_GRID:
                decided = [
                    (r and p[k] >= drop) or (not r and p[k] >= add)
                    for r, p in zip(rules, probabilities, strict=True)
                ]
                f1 = _f1(list(zip(decided, gold, strict=True)))
                if f1 > best[0] + 0.005:
                    best = (f1, Thresholds(add=add, drop=drop))
        thresholds.append(best[1])
        report[code.value] = {
            "rules_f1": round(rules_f1, 4),
            "with_model_f1": round(best[0], 4),
            "add": best[1].add,
            "drop": best[1].drop,
            "positives": sum(gold),
        }
    return thresholds, report


def build(
    folder: Path = DATA, buckets: int = DEFAULT_BUCKETS, cv: bool = True
) -> tuple[CoderModel, dict[str, object]]:
    cases = load_training(folder)
    data = examples(cases, buckets)
    thresholds = [_RULES_ONLY] * len(CODES)
    report: dict[str, object] = {}
    if cv:
        thresholds, report = cross_validate(data, buckets)
    weights, bias = train(data, buckets)
    model = model_of(weights, bias, thresholds, buckets)
    provenance: dict[str, object] = {
        "data": f"coder-training/*.yaml ({len(cases)} replies written for this project; see its README.md)",
        "trained_by": "python -m trainer.evals.train_coder_model",
        "seed": SEED,
        "epochs": EPOCHS,
        "learning_rate": LEARNING_RATE,
        "l2": L2,
        "weights_sha256": hashlib.sha256(model.weights.tobytes()).hexdigest(),
        "cross_validation": report,
    }
    return model, provenance


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m trainer.evals.train_coder_model", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--check", action="store_true", help="retrain (no CV) and compare with --out")
    args = parser.parse_args(argv)
    if args.check:
        model, provenance = build(cv=False)
        shipped = CoderModel.from_json(args.out.read_text(encoding="utf-8"))
        same = shipped.weights == model.weights and shipped.bias == model.bias
        print("same weights" if same else "DIFFERENT weights", provenance["weights_sha256"])
        return 0 if same else 1
    model, provenance = build()
    args.out.write_text(model.to_json(provenance), encoding="utf-8")
    report = provenance["cross_validation"]
    assert isinstance(report, dict)
    for code in CODES:
        print(code.value, report[code.value])
    print("weights", provenance["weights_sha256"], "->", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
