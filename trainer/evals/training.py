"""What the training scripts of the learned parts share: the provenance written beside the weights,
and the command line (train and write, or ``--check``: retrain and compare with the shipped file)."""

from __future__ import annotations

import argparse
import hashlib
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar


class Weighted(Protocol):
    """A linear model as the scripts store it."""

    weights: array[int]
    bias: tuple[float, ...]

    def to_json(self, provenance: dict[str, object]) -> str: ...


ModelT = TypeVar("ModelT", bound=Weighted)


def provenance(
    model: Weighted, *, data: str, module: str, hyper: dict[str, object], report: dict[str, object]
) -> dict[str, object]:
    """Where a model's weights came from: the data, the command, the settings and the figures."""
    return {
        "data": data,
        "trained_by": f"python -m {module}",
        **hyper,
        "weights_sha256": hashlib.sha256(model.weights.tobytes()).hexdigest(),
        "cross_validation": report,
    }


def run(
    argv: Sequence[str] | None,
    *,
    module: str,
    description: str,
    out: Path,
    build: Callable[[bool], tuple[ModelT, dict[str, object]]],
    load: Callable[[str], ModelT],
    summary: Callable[[ModelT, dict[str, object]], list[str]],
) -> int:
    """Cross-validate, train on everything and write ``--out``; or with ``--check`` retrain (no
    cross-validation) and exit 1 when the weights differ from the file's."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--check", action="store_true", help="retrain (no CV) and compare with --out")
    args = parser.parse_args(argv)
    if args.check:
        model, made = build(False)
        shipped = load(args.out.read_text(encoding="utf-8"))
        same = shipped.weights == model.weights and shipped.bias == model.bias
        print("same weights" if same else "DIFFERENT weights", made["weights_sha256"])
        return 0 if same else 1
    model, made = build(True)
    args.out.write_text(model.to_json(made), encoding="utf-8")
    report = made["cross_validation"]
    assert isinstance(report, dict)
    for line in summary(model, report):
        print(line)
    print("weights", made["weights_sha256"], "->", args.out)
    return 0
