"""Train the screen's learned model on the labelled replies in ``evals/screen/`` and write its weights.

    python -m trainer.evals.train_screen_model          # cross-validate, train on everything, write the file
    python -m trainer.evals.train_screen_model --check  # retrain and compare with the shipped file

Only ``evals/screen/*.yaml`` and ``coder-training/*.yaml`` are read (written for this project;
provenance in their README.md files).
Training is deterministic: a fixed seed for the order of the examples, a fixed number of epochs and a
fixed learning-rate schedule, plain Python floats. Each reply is read as the rules read it
(``Screen.own_words``: stories, idioms, reflections and words quoted back from the partner taken out),
so the model learns from and judges the same text.

Ordinary listening replies (all of ``trainer/data/coder-training/``, none of them a risk) join
the hard negatives, so the model learns what most replies look like.

The threshold is chosen by 5-fold cross-validation (folds by a stable order within each label): the
lowest probability on a grid at which the model adds no more than ``MAX_ADDED_FPR`` of the held-out
hard negatives to those the rules alone pause, and pauses at most ``MAX_LISTENING_FPR`` of the
held-out listening replies. The figures for the rules alone and for the rules OR
the model are printed per category and stored in the file's provenance.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trainer.evals.screen_suite import NONE, Form, ScreenCase, load_screen_cases
from trainer.evals.train_coder_model import load_training
from trainer.evals.training import provenance, run
from trainer.learning.features import hashed, softmax
from trainer.learning.weights import quantise
from trainer.safety.lexicon import Category, load_screen_data
from trainer.safety.model import CLASSES, DEFAULT_BUCKETS, MODEL_FILE, ScreenModel
from trainer.safety.screen import Screen
from trainer.settings import DATA_DIR

MODULE = "trainer.evals.train_screen_model"
SEED = 17
EPOCHS = 8
LEARNING_RATE = 0.05
L2 = 1e-3
FOLDS = 5
MAX_ADDED_FPR = 0.05  # a missed risk costs far more than a pause, which costs the learner a click
GRID = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99)
EVALS = DATA_DIR / "evals" / "screen"
# Ordinary listening replies, the bulk of what the screen reads: one in LISTENING_STEP replies of the
# coder's training set (written for this project, none of them a risk disclosure) joins as ``none``.
LISTENING_STEP = 1
MAX_LISTENING_FPR = 0.001  # ordinary replies are most of what the screen reads
LISTENING_PREFIX = "listening-"


def listening_replies(step: int = LISTENING_STEP) -> list[ScreenCase]:
    """Every ``step``-th reply of ``trainer/data/coder-training/`` as a ``none`` case, with its partner."""
    chosen = load_training()[::step]
    return [
        ScreenCase(
            id=LISTENING_PREFIX + case.id,
            reply=case.reply,
            category=NONE,
            form=Form.roleplay,
            partner=case.partner,
        )
        for case in chosen
    ]


@dataclass(frozen=True)
class Example:
    case: ScreenCase
    features: list[int]
    label: int


def examples(screen: Screen, cases: Sequence[ScreenCase], buckets: int) -> list[Example]:
    out: list[Example] = []
    for case in cases:
        own = screen.own_words(case.reply, case.partner)
        slots = hashed(own, buckets, screen.concepts.features(own))
        out.append(Example(case, slots, CLASSES.index(str(case.category))))
    return out


def train(data: Sequence[Example], buckets: int, threshold: float = 0.5) -> ScreenModel:
    """Multinomial logistic regression by SGD: fixed seed, epochs and schedule; int8 weights out."""
    width = len(CLASSES)
    weights = [0.0] * (buckets * width)
    bias = [0.0] * width
    order = list(range(len(data)))
    rng = random.Random(SEED)
    for epoch in range(EPOCHS):
        rng.shuffle(order)
        rate = LEARNING_RATE / (1.0 + 0.5 * epoch)
        for index in order:
            example = data[index]
            scores = list(bias)
            for slot in example.features:
                base = slot * width
                for k in range(width):
                    scores[k] += weights[base + k]
            probabilities = softmax(scores)
            gradient = [p - (1.0 if k == example.label else 0.0) for k, p in enumerate(probabilities)]
            for k in range(width):
                bias[k] -= rate * gradient[k]
            for slot in example.features:
                base = slot * width
                for k in range(width):
                    w = weights[base + k]
                    weights[base + k] = w - rate * (gradient[k] + L2 * w)
    quantised, scale = quantise(weights)
    return ScreenModel(quantised, scale, [round(b, 6) for b in bias], buckets, threshold)


def folds(data: Sequence[Example]) -> list[int]:
    """A fold per example: within each label, by id order, round robin."""
    fold = [0] * len(data)
    for label in range(len(CLASSES)):
        mine = sorted((i for i, e in enumerate(data) if e.label == label), key=lambda i: data[i].case.id)
        for rank, index in enumerate(mine):
            fold[index] = rank % FOLDS
    return fold


def _figures(cases: Sequence[ScreenCase], predicted: Sequence[str]) -> dict[str, float]:
    """Recall per category over the risk cases; false positives over the hard negatives and, apart,
    over the ordinary listening replies."""
    listening = [p for c, p in zip(cases, predicted, strict=True) if c.id.startswith(LISTENING_PREFIX)]
    pairs = [(c, p) for c, p in zip(cases, predicted, strict=True) if not c.id.startswith(LISTENING_PREFIX)]
    cases = [c for c, _ in pairs]
    predicted = [p for _, p in pairs]
    negatives = [p for c, p in zip(cases, predicted, strict=True) if c.category == NONE]
    figures: dict[str, float] = {}
    for category in Category:
        mine = [p for c, p in zip(cases, predicted, strict=True) if c.category == category]
        figures[f"{category.value}.recall"] = sum(p != NONE for p in mine) / len(mine)
        figures[f"{category.value}.false_positive_rate"] = sum(p == category.value for p in negatives) / len(
            negatives
        )
    risky = [p for c, p in zip(cases, predicted, strict=True) if c.category != NONE]
    figures["recall"] = sum(p != NONE for p in risky) / len(risky)
    figures["false_positive_rate"] = sum(p != NONE for p in negatives) / len(negatives)
    if listening:
        figures["listening_false_positive_rate"] = sum(p != NONE for p in listening) / len(listening)
    return figures


def cross_validate(screen: Screen, data: Sequence[Example], buckets: int) -> tuple[float, dict[str, object]]:
    """The threshold and the cross-validated figures: rules alone, model alone and rules OR model."""
    fold_of = folds(data)
    cases = [e.case for e in data]
    rules = []
    for case in cases:
        hit = screen.check(case.reply, case.partner, learned=False)
        rules.append(hit.category.value if hit else NONE)
    combined: dict[float, list[str]] = {t: [NONE] * len(data) for t in GRID}
    alone: dict[float, list[str]] = {t: [NONE] * len(data) for t in GRID}
    saved = screen.model
    try:
        for fold in range(FOLDS):
            model = train([e for e, f in zip(data, fold_of, strict=True) if f != fold], buckets)
            screen.model = model
            for index, example in enumerate(data):
                if fold_of[index] != fold:
                    continue
                own = screen.own_words(example.case.reply, example.case.partner)
                name, probability = model.predict(own, screen.concepts.features(own)).risk
                anchored = screen.anchored(own)
                for t in GRID:
                    alone[t][index] = name if probability >= t and anchored else NONE
                    model.threshold = t
                    hit = screen.check(example.case.reply, example.case.partner)
                    combined[t][index] = hit.category.value if hit else NONE
            print(f"fold {fold + 1}/{FOLDS} done", file=sys.stderr)
    finally:
        screen.model = saved
    by_threshold = {t: _figures(cases, combined[t]) for t in GRID}
    rules_fpr = _figures(cases, rules)["false_positive_rate"]
    allowed = [
        t
        for t in GRID
        if by_threshold[t]["false_positive_rate"] - rules_fpr <= MAX_ADDED_FPR
        and by_threshold[t].get("listening_false_positive_rate", 0.0) <= MAX_LISTENING_FPR
    ]
    threshold = allowed[0] if allowed else GRID[-1]
    report: dict[str, object] = {
        "folds": FOLDS,
        "threshold": threshold,
        "rules": _rounded(_figures(cases, rules)),
        "model": _rounded(_figures(cases, alone[threshold])),
        "rules_or_model": _rounded(by_threshold[threshold]),
        "by_threshold": {
            str(t): {
                k: round(v, 4)
                for k, v in by_threshold[t].items()
                if k in ("recall", "false_positive_rate", "listening_false_positive_rate")
            }
            for t in GRID
        },
    }
    return threshold, report


def _rounded(figures: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in figures.items()}


def build(
    folder: Path = EVALS, buckets: int = DEFAULT_BUCKETS, cv: bool = True
) -> tuple[ScreenModel, dict[str, object]]:
    """Cross-validate (when ``cv``), then train on every case; the model and its provenance."""
    screen = Screen(load_screen_data(), None)
    cases = load_screen_cases(folder) + listening_replies()
    data = examples(screen, cases, buckets)
    report: dict[str, object] = {}
    threshold = 0.5
    if cv:
        threshold, report = cross_validate(screen, data, buckets)
    model = train(data, buckets, threshold)
    made = provenance(
        model,
        data=f"evals/screen/*.yaml and one in {LISTENING_STEP} replies of coder-training/*.yaml as none "
        f"({len(cases)} replies written for this project; see evals/screen/README.md)",
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
        load=ScreenModel.from_json,
        summary=lambda model, report: [
            *(f"{part} {report[part]}" for part in ("rules", "model", "rules_or_model")),
            f"threshold {model.threshold}",
        ],
    )


if __name__ == "__main__":
    raise SystemExit(main())
