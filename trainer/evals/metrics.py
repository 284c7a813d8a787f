"""Agreement statistics for the eval suite: per-code detection and per-rubric ordinal agreement.

Pure functions over plain counts, so that a report can be recomputed from stored predictions and two
runs can be compared without re-running anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict


class BinaryScores(BaseModel):
    """Detection of one behaviour code across cases."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def kappa(self) -> float:
        """Cohen's kappa of the two raters (truth, prediction) on this one yes/no question."""
        n = self.n
        if not n:
            return 0.0
        observed = (self.tp + self.tn) / n
        expected = (
            (self.tp + self.fp) * (self.tp + self.fn) + (self.fn + self.tn) * (self.fp + self.tn)
        ) / (n * n)
        return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def binary_scores(pairs: Iterable[tuple[bool, bool]]) -> BinaryScores:
    """Count (truth, predicted) pairs."""
    tp = fp = fn = tn = 0
    for truth, predicted in pairs:
        if truth and predicted:
            tp += 1
        elif predicted:
            fp += 1
        elif truth:
            fn += 1
        else:
            tn += 1
    return BinaryScores(tp=tp, fp=fp, fn=fn, tn=tn)


class OrdinalScores(BaseModel):
    """Agreement of predicted and expected scores on a 0..levels-1 scale."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    levels: int
    confusion: list[list[int]]  # confusion[expected][predicted]

    @property
    def n(self) -> int:
        return sum(sum(row) for row in self.confusion)

    @property
    def exact(self) -> float:
        n = self.n
        return sum(self.confusion[i][i] for i in range(self.levels)) / n if n else 0.0

    @property
    def within_one(self) -> float:
        n = self.n
        close = sum(
            self.confusion[i][j]
            for i in range(self.levels)
            for j in range(self.levels)
            if abs(i - j) <= 1
        )
        return close / n if n else 0.0

    @property
    def weighted_kappa(self) -> float:
        """Cohen's kappa with quadratic weights: near misses cost less than far ones."""
        n = self.n
        k = self.levels
        if not n or k < 2:
            return 0.0
        row = [sum(self.confusion[i]) for i in range(k)]
        col = [sum(self.confusion[i][j] for i in range(k)) for j in range(k)]
        observed = expected = 0.0
        for i in range(k):
            for j in range(k):
                weight = (i - j) ** 2 / (k - 1) ** 2
                observed += weight * self.confusion[i][j] / n
                expected += weight * row[i] * col[j] / (n * n)
        return 1.0 - observed / expected if expected else 1.0


def ordinal_scores(pairs: Iterable[tuple[int, int]], levels: int = 4) -> OrdinalScores:
    """Build the confusion matrix of (expected, predicted) scores."""
    confusion = [[0] * levels for _ in range(levels)]
    for expected, predicted in pairs:
        confusion[expected][predicted] += 1
    return OrdinalScores(levels=levels, confusion=confusion)


def macro(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def spread(values: Sequence[float]) -> float:
    """Range of repeated measurements of one case (max - min); 0 for a single run."""
    return max(values) - min(values) if values else 0.0
