"""The moment conversations (evals/moments): their file format, and the runner's checks of each turn."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trainer.content.loader import load_scenarios
from trainer.content.rubric import load_rubrics
from trainer.content.scenario import Stage
from trainer.evals.eval_engines import rules_engines
from trainer.evals.moment_runner import moved_on, run_moment
from trainer.evals.moments import load_moments
from trainer.evals.results import Spent
from trainer.settings import DATA_DIR
from trainer.vocabulary.errors import ContentError

SCENARIOS = load_scenarios(DATA_DIR / "scenarios")
RUBRICS = load_rubrics(DATA_DIR / "rubrics.yaml")
TURN = {
    "reply": (
        "It sounds like you felt let down when our Saturday trip got cancelled for work again. Is that right?"
    ),
    "stage": "clarifying",
    "moves_on": True,
    "applicable": ["reflection", "not_fixing", "partner_focus"],
}


def write(folder: Path, conversations: list[dict[str, object]]) -> Path:
    folder.mkdir(exist_ok=True)
    data = {"scenario": "never-a-priority", "conversations": conversations}
    (folder / "never-a-priority.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def test_the_committed_suite_has_at_least_sixty_conversations_over_every_scenario() -> None:
    talks = load_moments(DATA_DIR / "evals" / "moments", SCENARIOS)
    assert len(talks) >= 60 and {t.scenario for t in talks} == set(SCENARIOS)


def test_a_bad_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "m", [{"id": "x", "note": "a note", "turns": [{**TURN, "scores": {"reflection": [3, 1]}}]}]
    )
    with pytest.raises(ContentError, match=r"never-a-priority\.yaml.*reversed"):
        load_moments(folder, SCENARIOS)
    write(folder, [{"id": "x", "note": "a note", "turns": [{**TURN, "applicable": ["listening"]}]}])
    with pytest.raises(ContentError, match="applicable"):
        load_moments(folder, SCENARIOS)


def test_moving_on_means_forward_or_back_from_withdrawn() -> None:
    assert moved_on(Stage.sharing, Stage.clarifying) and moved_on(Stage.withdrawn, Stage.clarifying)
    assert not moved_on(Stage.clarifying, Stage.clarifying) and not moved_on(Stage.sharing, Stage.withdrawn)


async def test_the_runner_passes_a_right_expectation_and_names_a_wrong_one(tmp_path: Path) -> None:
    wrong = {
        **TURN,
        "applicable": ["reflection", "validation", "not_fixing", "partner_focus"],
        "stage": "understood",
    }
    folder = write(
        tmp_path / "m",
        [
            {"id": "right", "note": "as it happens", "turns": [TURN]},
            {"id": "wrong", "note": "claims too much", "turns": [wrong], "report": {"says": ["What hurt"]}},
        ],
    )
    talks = {t.id: t for t in load_moments(folder, SCENARIOS)}
    engines = rules_engines(RUBRICS)
    right = await run_moment(engines, talks["right"], SCENARIOS["never-a-priority"], RUBRICS, Spent())
    assert right.passed
    failed = await run_moment(engines, talks["wrong"], SCENARIOS["never-a-priority"], RUBRICS, Spent())
    assert not failed.passed
    assert "stage clarifying, expected understood" in failed.why and "applicable" in failed.why
