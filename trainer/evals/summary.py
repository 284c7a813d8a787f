"""Metrics of a run, as one flat ``{name: value}`` table (what thresholds and compare read).

Names: ``replies.code.<code>.{precision,recall,f1,kappa}``, ``replies.code_f1_macro``,
``replies.rubric.<rubric>.{weighted_kappa,exact,within_one}``, ``replies.codes_exact``,
``replies.unscored``, ``replies.max_spread``, ``replies.disagreement_rate`` (the share of scored
replies where the judge's own score and the rules score differ by two points or more on a rubric),
``adversarial.raised_score``,
``adversarial.violations``, ``adversarial.over_rules`` (attacks whose grade rose above the rules
grade on some rubric), ``adversarial.unscored``, ``conversations.pass_rate``,
``conversations.<path>.pass_rate``, ``conversations.scenario.<id>.pass_rate``,
``paraphrases.{recall,precision}`` (also ``.tuned.``, ``.held_out.``, ``.cues.`` and
``.scenario.<id>.``), ``moments.pass_rate``, ``moments.cases``,
``screen.*`` and ``screen.holdout.*`` (``trainer.evals.screen_suite``), ``spent.*``.
Unscored replies are left out of the agreement figures (never counted as a zero).
"""

from __future__ import annotations

from collections import defaultdict

from trainer.evals.metrics import binary_scores, macro, ordinal_scores
from trainer.evals.results import EvalReport
from trainer.evals.screen_suite import screen_metrics
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import RubricName


def summarise(report: EvalReport) -> None:
    """Fill ``report.metrics`` and ``report.confusion`` from its outcomes."""
    metrics: dict[str, float] = {}
    scored = [outcome for outcome in report.replies if outcome.scored]
    if report.replies:
        f1s: list[float] = []
        for code in Code:
            pairs = [(code.value in o.expected_codes, code.value in o.predicted_codes) for o in scored]
            counts = binary_scores(pairs)
            if counts.support == 0 and counts.fp == 0:
                continue
            prefix = f"replies.code.{code.value}"
            metrics[f"{prefix}.precision"] = counts.precision
            metrics[f"{prefix}.recall"] = counts.recall
            metrics[f"{prefix}.f1"] = counts.f1
            metrics[f"{prefix}.kappa"] = counts.kappa
            metrics[f"{prefix}.support"] = counts.support
            if counts.support:
                f1s.append(counts.f1)
        metrics["replies.code_f1_macro"] = macro(f1s)
        for rubric in RubricName:
            pairs_scores = [
                (o.expected_scores[rubric.value], o.predicted_scores[rubric.value])
                for o in scored
                if rubric.value in o.expected_scores
            ]
            if not pairs_scores:
                continue
            ordinal = ordinal_scores(pairs_scores)
            prefix = f"replies.rubric.{rubric.value}"
            metrics[f"{prefix}.weighted_kappa"] = ordinal.weighted_kappa
            metrics[f"{prefix}.exact"] = ordinal.exact
            metrics[f"{prefix}.within_one"] = ordinal.within_one
            metrics[f"{prefix}.n"] = ordinal.n
            report.confusion[rubric.value] = ordinal.confusion
        metrics["replies.cases"] = len(report.replies)
        metrics["replies.codes_exact"] = sum(o.codes_exact for o in scored) / len(scored) if scored else 0.0
        metrics["replies.unscored"] = sum(o.unscored for o in report.replies)
        scored_replies = [o for o in report.replies if o.scored]
        metrics["replies.disagreement_rate"] = (
            sum(bool(o.disagreement) for o in scored_replies) / len(scored_replies) if scored_replies else 0.0
        )
        metrics["replies.errors"] = sum(o.error is not None for o in report.replies)
        metrics["replies.max_spread"] = max((o.spread for o in scored), default=0)
    if report.adversarial:
        metrics["adversarial.cases"] = len(report.adversarial)
        metrics["adversarial.raised_score"] = sum(bool(o.raised) for o in report.adversarial)
        metrics["adversarial.violations"] = sum(not o.passed for o in report.adversarial)
        metrics["adversarial.over_rules"] = sum(bool(o.over_rules) for o in report.adversarial)
        metrics["adversarial.unscored"] = sum(o.unscored for o in report.adversarial)
    if report.conversations:
        outcomes = report.conversations
        metrics["conversations.cases"] = len(outcomes)
        metrics["conversations.pass_rate"] = sum(o.passed for o in outcomes) / len(outcomes)
        groups: dict[str, list[bool]] = defaultdict(list)
        for o in outcomes:
            groups[f"conversations.{o.path}.pass_rate"].append(o.passed)
            groups[f"conversations.scenario.{o.scenario}.pass_rate"].append(o.passed)
        for name, passed in groups.items():
            metrics[name] = sum(passed) / len(passed)
    if report.paraphrases is not None:
        metrics.update(report.paraphrases.metrics())
    if report.moments:
        metrics["moments.cases"] = len(report.moments)
        metrics["moments.pass_rate"] = sum(o.passed for o in report.moments) / len(report.moments)
        metrics["moments.turns_checked"] = sum(len(o.turns) for o in report.moments)
    if report.screen:
        metrics.update(screen_metrics(report.screen))
    if report.screen_holdout:
        metrics.update(screen_metrics(report.screen_holdout, "screen.holdout"))
    metrics["spent.calls"] = report.spent.calls
    metrics["spent.input_tokens"] = report.spent.input_tokens
    metrics["spent.output_tokens"] = report.spent.output_tokens
    metrics["spent.cost_usd"] = round(report.spent.cost_usd, 6)
    report.metrics = {name: round(value, 4) for name, value in metrics.items()}
