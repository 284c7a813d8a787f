"""The paraphrase suite: loading, the split, and recall and precision over (case, point) pairs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import make_scenario
from trainer.content.loader import load_scenarios
from trainer.content.scenario import Scenario
from trainer.evals.paraphrases import PairCounts, run_paraphrases
from trainer.settings import DATA_DIR
from trainer.vocabulary.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]


def _scenario() -> Scenario:
    data = make_scenario().model_dump(mode="json")
    data["key_points"][0]["hears"] = ["cancel + plan|saturday"]
    return Scenario.model_validate(data)


def _write(folder: Path, cases: list[dict[str, object]], held_out: bool = False) -> None:
    (folder / "test-partner.yaml").write_text(yaml.safe_dump({"scenario": "test-partner", "cases": cases}))
    halves = (
        {"tuned": [], "held_out": ["test-partner"]}
        if held_out
        else {"tuned": ["test-partner"], "held_out": []}
    )
    (folder / "split.yaml").write_text(yaml.safe_dump(halves))


def test_pairs_give_recall_and_precision() -> None:
    counts = PairCounts(found=9, missed=1, false=3)
    assert counts.recall == pytest.approx(0.9)
    assert counts.precision == pytest.approx(0.75)


def test_a_run_scores_each_case_and_each_half(tmp_path: Path) -> None:
    _write(
        tmp_path,
        [
            {"id": "c1", "reply": "You cancelled our plan.", "covers": ["cancelled"], "kind": "literal"},
            {"id": "c2", "reply": "Work ate our weekend.", "covers": ["cancelled"], "kind": "paraphrase"},
            {"id": "c3", "reply": "I never cancel plans.", "covers": [], "kind": "negated"},
            {"id": "c4", "reply": "Should we cancel the plan?", "covers": [], "kind": "unrelated"},
        ],
    )
    report = run_paraphrases(tmp_path, {"test-partner": _scenario()})
    metrics = report.metrics()
    assert metrics["paraphrases.recall"] == 0.5
    assert metrics["paraphrases.tuned.recall"] == 0.5
    assert metrics["paraphrases.scenario.test-partner.recall"] == 0.5
    assert metrics["paraphrases.precision"] == 1.0
    assert [case.heard for case in report.cases] == [["cancelled"], [], [], []]


def test_a_label_that_names_no_key_point_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, [{"id": "c1", "reply": "x", "covers": ["nope"], "kind": "literal"}])
    with pytest.raises(ContentError, match="no key point nope"):
        run_paraphrases(tmp_path, {"test-partner": _scenario()})


def test_every_scenario_file_is_in_one_half(tmp_path: Path) -> None:
    _write(tmp_path, [{"id": "c1", "reply": "x", "covers": [], "kind": "unrelated"}])
    (tmp_path / "split.yaml").write_text(yaml.safe_dump({"tuned": [], "held_out": []}))
    with pytest.raises(ContentError, match="no half for test-partner"):
        run_paraphrases(tmp_path, {"test-partner": _scenario()})


def test_the_shipped_set_loads_and_beats_the_literal_cues() -> None:
    report = run_paraphrases(DATA_DIR / "evals" / "paraphrases", load_scenarios(DATA_DIR / "scenarios"))
    metrics = report.metrics()
    assert metrics["paraphrases.cases"] >= 300
    assert metrics["paraphrases.recall"] > metrics["paraphrases.cues.recall"]
    assert metrics["paraphrases.precision"] > metrics["paraphrases.cues.precision"]
