"""The stages of a practice conversation (the six-step exercise), shared by the partner, the grader
and the content files."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    sharing = "sharing"
    clarifying = "clarifying"
    understood = "understood"
    deepening = "deepening"
    closing = "closing"
    done = "done"
    withdrawn = "withdrawn"
