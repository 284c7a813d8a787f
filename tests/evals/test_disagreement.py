"""The eval reports how often the judge and the rules are two points or more apart."""

from __future__ import annotations

import pytest

from trainer.evals.eval_engines import EngineName
from trainer.evals.runner import RunOptions, run
from trainer.settings import Settings


async def test_replay_reports_the_judge_rules_disagreement_rate() -> None:
    report = (await run(Settings(), RunOptions(engine=EngineName.replay, suites=("replies",)))).report
    scored = [o for o in report.replies if o.scored]
    apart = [o for o in scored if o.disagreement]
    assert apart  # the fixtures hold a judge that is far from the rules on some reply
    assert all(abs(model - rules) >= 2 for o in apart for rules, model in o.disagreement.values())
    assert report.metrics["replies.disagreement_rate"] == pytest.approx(len(apart) / len(scored), abs=1e-3)


async def test_the_rules_engine_never_disagrees_with_itself() -> None:
    report = (await run(Settings(), RunOptions(engine=EngineName.rules, suites=("replies",)))).report
    assert report.metrics["replies.disagreement_rate"] == 0.0
