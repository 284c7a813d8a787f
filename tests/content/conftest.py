"""A complete, valid scenario document to break one field at a time, and a way to write it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from trainer.content.scenario import Reaction, Stage

ROOT = Path(__file__).resolve().parents[2]
Doc = dict[str, Any]


def _lines(reaction: Reaction) -> list[str]:
    placeholder = {
        Reaction.partial: " {missed}",
        Reaction.elaborate: " {point}",
        Reaction.short_answer: " {point}",
        Reaction.answer_no: " {point}",
        Reaction.restate: " {point}",
    }.get(reaction, "")
    return [f"The {reaction.value} line number {n}.{placeholder}" for n in range(3)]


VALID: Doc = {
    "id": "sample",
    "title": "A sample scenario",
    "summary": "A partner shares something and wants to be heard.",
    "difficulty": 2,
    "skills": ["reflection"],
    "lesson": "Reflect before you respond.",
    "learner_role": "You are the partner.",
    "partner": {"name": "Kim", "relationship": "your partner", "voice": "Calm."},
    "situation": "Kim had a long week.",
    "feelings": ["tired", "sad"],
    "key_points": [
        {"id": "long-week", "summary": "A long week.", "cues": ["week", "long"],
         "share": "It went on and on.", "missed": "the week was long"},
        {"id": "tired", "summary": "I am tired.", "kind": "feeling", "cues": ["tired", "exhausted"],
         "share": "I could sleep for a day.", "missed": "I am worn out"},
    ],
    "deeper": {"summary": "Kim feels unseen.", "cues": ["unseen", "invisible"]},
    "lines": {reaction.value: _lines(reaction) for reaction in Reaction},
    "exemplars": {stage.value: [f"An exemplar for {stage.value}."] for stage in Stage if stage != Stage.done},
}

WriteScenario = Callable[..., Path]


@pytest.fixture
def document() -> Doc:
    """A fresh deep copy of the valid document, for a test to break."""
    return copy.deepcopy(VALID)


@pytest.fixture
def write_scenario(tmp_path: Path) -> WriteScenario:
    """Write a document (or raw text) as ``<name>.yaml`` in a temporary folder; returns the path."""

    def write(content: dict[str, Any] | str, name: str = "sample", suffix: str = ".yaml") -> Path:
        path = tmp_path / f"{name}{suffix}"
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write
