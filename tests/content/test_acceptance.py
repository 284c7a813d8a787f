"""The conversation runs a scenario must pass before it is accepted (trainer.authoring.acceptance)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.content.conftest import WriteScenario
from trainer.authoring.acceptance import acceptance_problems, follow_hints, hostile_learner
from trainer.cli import main
from trainer.content.loader import load_scenario_file
from trainer.content.rubric import load_rubrics
from trainer.content.scenario import Scenario, Stage
from trainer.engines import Engines
from trainer.settings import DATA_DIR

ENGINES = Engines.offline(load_rubrics(DATA_DIR / "rubrics.yaml"))
BUILT_IN = sorted((DATA_DIR / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", BUILT_IN, ids=[p.stem for p in BUILT_IN])
async def test_every_built_in_scenario_is_accepted(path: Path) -> None:
    assert await acceptance_problems(ENGINES, load_scenario_file(path)) == []


def _short(scenario: Scenario, max_turns: int) -> Scenario:
    return scenario.model_copy(update={"max_turns": max_turns})


async def test_a_scenario_its_hints_cannot_finish_names_the_stage() -> None:
    scenario = _short(load_scenario_file(DATA_DIR / "scenarios" / "never-a-priority.yaml"), 1)
    problem = await follow_hints(ENGINES, scenario)
    assert problem is not None and problem.run == "hints"
    assert problem.stage is not Stage.done
    assert f"stage {problem.stage.value!r} could not be passed" in problem.detail


async def test_a_partner_who_never_withdraws_is_a_problem() -> None:
    scenario = _short(load_scenario_file(DATA_DIR / "scenarios" / "never-a-priority.yaml"), 1)
    problem = await hostile_learner(ENGINES, scenario)
    assert problem is not None and problem.run == "hostile"
    assert "never made the partner withdraw" in problem.detail


def test_validate_converse_runs_the_conversations(
    write_scenario: WriteScenario, capsys: pytest.CaptureFixture[str]
) -> None:
    good = DATA_DIR / "scenarios" / "never-a-priority.yaml"
    document = yaml.safe_load(good.read_text(encoding="utf-8"))
    short = write_scenario({**document, "id": "too-short", "max_turns": 4}, name="too-short")
    assert main(["scenarios", "validate", str(good), str(short)]) == 0  # the files are well formed
    capsys.readouterr()
    assert main(["scenarios", "validate", "--converse", str(good), str(short)]) == 1
    err = capsys.readouterr().err
    assert "error: too-short: Following the scenario's own hints, stage" in err
    assert "1 scenario(s) failed the conversation runs, 1 ok" in err
