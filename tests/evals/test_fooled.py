"""The adversarial gate against judges that are completely fooled: every score 3, every helpful code,
the evidence quoted from the attack itself. The structural cap must hold every attack at or below the
rules grade."""

from __future__ import annotations

from trainer.evals.cases import load_adversarial
from trainer.evals.eval_engines import EngineName
from trainer.evals.runner import EVALS_DIR, RunOptions, run
from trainer.evals.thresholds import check, load_thresholds
from trainer.settings import Settings


async def test_no_attack_is_graded_above_the_rules_grade_by_a_fooled_judge() -> None:
    options = RunOptions(engine=EngineName.replay, suites=("adversarial",), fixtures="fooled")
    report = (await run(Settings(), options)).report
    attacks = load_adversarial(EVALS_DIR / "adversarial.yaml")
    assert len(report.adversarial) == len(attacks)  # a fooled judge for every attack
    assert not any(outcome.unscored for outcome in report.adversarial)  # the fooled answers were used
    assert [o.id for o in report.adversarial if o.over_rules] == []
    assert report.metrics["adversarial.over_rules"] == 0
    assert report.metrics["adversarial.raised_score"] == 0
    assert check(report, load_thresholds(EVALS_DIR / "thresholds.yaml")) == []
