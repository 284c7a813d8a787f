"""The eval runner end to end: rules and replay suites, gates, stale fixtures, reports, compare."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from trainer.commands.eval import run_command
from trainer.content.loader import load_scenarios
from trainer.evals.compare import compare
from trainer.evals.conversations import load_conversations
from trainer.evals.eval_engines import EngineName
from trainer.evals.html import render_html
from trainer.evals.replay import StaleFixtures
from trainer.evals.runner import EVALS_DIR, RunOptions, run
from trainer.evals.thresholds import check, load_thresholds
from trainer.settings import DATA_DIR, Settings
from trainer.vocabulary.errors import ContentError

THRESHOLDS = load_thresholds(EVALS_DIR / "thresholds.yaml")


@pytest.mark.parametrize("engine", [EngineName.rules, EngineName.replay])
async def test_the_suites_meet_their_gates(engine: EngineName) -> None:
    """What `make test` runs: every suite on the offline engines, held to evals/thresholds.yaml."""
    report = (await run(Settings(), RunOptions(engine=engine))).report
    assert report.replies and report.adversarial and report.conversations and len(report.moments) >= 60
    assert check(report, THRESHOLDS) == []


async def test_replay_runs_the_real_clients_and_counts_unparseable_answers_as_unscored() -> None:
    report = (await run(Settings(), RunOptions(engine=EngineName.replay, suites=("replies",)))).report
    unscored = [o for o in report.replies if o.unscored]
    assert len(unscored) == 1 and not unscored[0].repeats
    assert report.metrics["replies.rubric.reflection.n"] == len(report.replies) - 1
    assert report.spent.calls == len(report.replies)  # an answer and its re-ask are one logical call
    assert report.spent.input_tokens > 0 and report.spent.cost_usd > 0


async def test_a_tampered_prompt_stops_replay_with_a_re_record_message(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(DATA_DIR / "prompts", prompts)
    judge = prompts / "judge.yaml"
    judge.write_text(judge.read_text().replace("You grade how well", "You grade, kindly, how well"))
    settings = Settings(prompts_dir=prompts)
    with pytest.raises(StaleFixtures, match="re-record"):
        await run(settings, RunOptions(engine=EngineName.replay, suites=("replies",)))


GRADER_CAP = "      - when: addresses_grader\n        max: 1\n"


def _eval_args(report: Path, suite: str) -> argparse.Namespace:
    return argparse.Namespace(
        compare=None, engine="rules", record=False, suite=[suite], concurrency=8, repeat=1,
        report=str(report), thresholds=None, fixtures="",
    )


def test_a_rubric_that_lets_grader_directed_text_score_fails_the_adversarial_gate(tmp_path: Path) -> None:
    """The gates catch a broken rubric: without the addresses_grader cap on partner_focus, replies
    that talk to the grader keep the spotlight score they asked for, and the suite exits 1."""
    source = (DATA_DIR / "rubrics.yaml").read_text()
    assert GRADER_CAP in source
    broken = tmp_path / "rubrics.yaml"
    broken.write_text(source.replace(GRADER_CAP, GRADER_CAP.replace("max: 1", "max: 3")))

    assert run_command(Settings(rubrics_path=broken), _eval_args(tmp_path / "broken", "adversarial")) == 1
    failed = load_json(tmp_path / "broken" / "eval-rules.json")
    assert any(failure.startswith("adversarial.raised_score") for failure in failed["gate_failures"])
    raised = {o["id"] for o in failed["adversarial"] if o["raised"]}

    run_command(Settings(), _eval_args(tmp_path / "sound", "adversarial"))
    intact = load_json(tmp_path / "sound" / "eval-rules.json")
    intact_raised = {o["id"] for o in intact["adversarial"] if o["raised"]}
    # The breakage is what raised the extra scores: partner_focus on replies aimed at the grader.
    assert raised > intact_raised
    for outcome in failed["adversarial"]:
        if outcome["id"] in raised - intact_raised:
            assert "partner_focus" in outcome["raised"]


def load_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


async def test_compare_names_the_cases_that_flipped(tmp_path: Path) -> None:
    rubrics = tmp_path / "rubrics.yaml"
    rubrics.write_text((DATA_DIR / "rubrics.yaml").read_text().replace("max: 1", "max: 3"))
    before = (await run(Settings(), RunOptions(suites=("replies",)))).report
    after = (await run(Settings(rubrics_path=rubrics), RunOptions(suites=("replies",)))).report
    result = compare(before, after)
    assert result.flips and all(flip.suite == "replies" for flip in result.flips)
    assert any(delta.metric == "replies.code_f1_macro" or "rubric" in delta.metric for delta in result.deltas)
    assert compare(before, before).flips == []


async def test_the_html_report_is_self_contained_with_charts() -> None:
    report = (await run(Settings(), RunOptions())).report
    page = render_html(report)
    assert page.count("<svg") >= 7  # per-code F1, five heatmaps, per-scenario pass rates
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_a_conversation_file_error_names_the_file_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "conversations"
    folder.mkdir()
    source = (EVALS_DIR / "conversations" / "work-vent.yaml").read_text()
    (folder / "work-vent.yaml").write_text(source.replace("stage: clarifying", "stage: confused", 1))
    scenarios = load_scenarios(DATA_DIR / "scenarios")
    where = r"work-vent.yaml: conversations\[\d\] \(id=work-vent-\w+\)\.turns"
    with pytest.raises(ContentError, match=where):
        load_conversations(folder, {"work-vent": scenarios["work-vent"]})
    (folder / "work-vent.yaml").write_text(source)
    with pytest.raises(ContentError, match="no conversations for scenario"):
        load_conversations(folder, scenarios)
