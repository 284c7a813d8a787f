"""Shared helpers for the partner tests: the reference scenario and hand-built grades."""

from __future__ import annotations

import pytest

from trainer.content.loader import load_scenario_file
from trainer.content.scenario import Scenario
from trainer.settings import DATA_DIR
from trainer.vocabulary.codes import Behaviour, Code, Coding
from trainer.vocabulary.grades import Grade

SCENARIOS = DATA_DIR / "scenarios"


@pytest.fixture(scope="session")
def reference() -> Scenario:
    return load_scenario_file(SCENARIOS / "never-a-priority.yaml")


def graded(
    *codes: Code,
    points: tuple[str, ...] = (),
    parroting: bool = False,
    evidence: dict[Code, str] | None = None,
) -> Grade:
    """A grade whose coding holds exactly ``codes`` (evidence defaults to the code's name)."""
    evidence = evidence or {}
    behaviours = tuple(Behaviour(code=code, evidence=evidence.get(code, code.value)) for code in codes)
    coding = Coding(behaviours=behaviours, key_points=points, parroting=parroting)
    return Grade(behaviours=behaviours, rubrics={}, tip="", coding=coding)


def at_difficulty(scenario: Scenario, difficulty: int) -> Scenario:
    return scenario.model_copy(update={"difficulty": difficulty})
