"""The benchmark's figures, each with its target, as a plain table and as Markdown."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
}


@dataclass(frozen=True)
class Figure:
    """One measured figure; ``target`` is None for a figure shown for comparison only."""

    name: str
    unit: str
    value: float
    comparison: str = ""
    target: float | None = None

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        if math.isnan(self.value):
            return "NO DATA"
        return "met" if _COMPARE[self.comparison](self.value, self.target) else "MISSED"

    def cells(self) -> tuple[str, str, str, str]:
        target = f"{self.comparison} {self.target:g}" if self.target is not None else ""  # no target: info
        return self.name, f"{self.value:,.2f} {self.unit}", target, self.verdict


@dataclass
class Report:
    machine: dict[str, str]
    command: str
    figures: list[Figure] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)
    elapsed_s: float = 0.0

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        name, value, target, verdict = figure.cells()
        print(f"  {name:<62} {value:>16}  target {target or '-':<8} {verdict}")

    def table(self) -> str:
        lines = [f"{'figure':<62} {'value':>16}  {'target':<9} verdict"]
        for figure in self.figures:
            name, value, target, verdict = figure.cells()
            lines.append(f"{name:<62} {value:>16}  {target or '-':<9} {verdict}")
        missed = sum(f.verdict in ("MISSED", "NO DATA") for f in self.figures)
        judged = sum(f.target is not None for f in self.figures)
        lines.append(f"{judged - missed} of {judged} targets met")
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = [
            f"Machine: {self.machine.get('nproc')} CPUs, {self.machine.get('cpu')}, "
            f"Python {self.machine.get('python')}. Command: `{self.command}` ({self.elapsed_s:.0f} s).",
            "",
            "| figure | value | target | verdict |",
            "|---|---:|---|---|",
        ]
        lines += ["| " + " | ".join(figure.cells()) + " |" for figure in self.figures]
        return "\n".join(lines) + "\n"
