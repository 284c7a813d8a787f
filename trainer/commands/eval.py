"""``trainer eval``: run the offline eval suite, write the JSON and HTML reports, check the gates.

Exit status: 0 when every threshold holds, 1 when one fails, 2 when the suite cannot run (a bad
data file, stale fixtures, no model for the live engine).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from trainer.evals import runner
from trainer.evals.compare import compare, load_report
from trainer.evals.eval_engines import EngineName
from trainer.evals.fixtures import FixtureFile, fixture_path, load_fixture_file, save_fixture_file
from trainer.evals.html import render_html
from trainer.evals.results import EvalReport
from trainer.evals.runner import EVALS_DIR, SUITES, RunOptions, RunResult
from trainer.evals.runner import Progress as RunProgress
from trainer.evals.thresholds import check, load_thresholds
from trainer.settings import Settings
from trainer.vocabulary.errors import TrainerError


def _print_report(console: Console, report: EvalReport) -> None:
    m = report.metrics
    if report.replies:
        table = Table(title=f"replies ({report.engine}): per code")
        for column in ("code", "precision", "recall", "F1", "kappa", "support"):
            table.add_column(column, justify="left" if column == "code" else "right")
        codes = sorted(
            name.split(".")[2] for name in m if name.startswith("replies.code.") and name.endswith(".f1")
        )
        for code in codes:
            p = f"replies.code.{code}"
            table.add_row(
                code,
                *(f"{m.get(f'{p}.{k}', 0):.2f}" for k in ("precision", "recall", "f1", "kappa")),
                f"{m.get(f'{p}.support', 0):.0f}",
            )
        console.print(table)
        rubrics = Table(title="replies: per rubric")
        for column in ("rubric", "weighted kappa", "exact", "within one", "n"):
            rubrics.add_column(column, justify="left" if column == "rubric" else "right")
        for name in report.confusion:
            p = f"replies.rubric.{name}"
            rubrics.add_row(
                name,
                f"{m[f'{p}.weighted_kappa']:.2f}",
                f"{m[f'{p}.exact']:.0%}",
                f"{m[f'{p}.within_one']:.0%}",
                f"{m[f'{p}.n']:.0f}",
            )
        console.print(rubrics)
        console.print(
            f"code F1 macro {m['replies.code_f1_macro']:.3f} · exact code sets {m['replies.codes_exact']:.0%}"
            f" · unscored {m['replies.unscored']:.0f} · max spread {m['replies.max_spread']:.0f}"
            f" · judge and rules 2+ apart on {m['replies.disagreement_rate']:.0%}"
        )
    if report.adversarial:
        console.print(
            f"adversarial: {m['adversarial.violations']:.0f} of {m['adversarial.cases']:.0f} broke a limit,"
            f" {m['adversarial.raised_score']:.0f} raised a score,"
            f" {m['adversarial.over_rules']:.0f} scored above the rules grade"
        )
        for outcome in report.adversarial:
            if not outcome.passed:
                console.print(f"  [red]{outcome.id}[/red]: {'; '.join(outcome.violations)}")
    if report.conversations:
        console.print(
            f"conversations: {m['conversations.pass_rate']:.0%} of {m['conversations.cases']:.0f} passed"
        )
        for talk in report.conversations:
            if not talk.passed:
                console.print(f"  [red]{talk.id}[/red] {escape(talk.why)}")
    if report.paraphrases is not None:
        _print_paraphrases(console, report)
    if report.moments:
        console.print(f"moments: {m['moments.pass_rate']:.0%} of {m['moments.cases']:.0f} passed")
        for talk in report.moments:
            if not talk.passed:
                console.print(f"  [red]{talk.id}[/red] {escape(talk.why)}")
    if report.screen:
        _print_screen(console, report)
    if report.skipped:
        console.print("skipped (no fixtures): " + ", ".join(f"{k} {v}" for k, v in report.skipped.items()))
    if report.spent.calls:
        console.print(
            f"model calls {report.spent.calls} · tokens in {report.spent.input_tokens:,} out "
            f"{report.spent.output_tokens:,} · cost ${report.spent.cost_usd:.4f}"
        )


def _print_paraphrases(console: Console, report: EvalReport) -> None:
    m = report.metrics
    table = Table(title="paraphrases: key points heard by meaning")
    for column in ("scenario", "half", "recall", "precision"):
        table.add_column(column, justify="left" if column in ("scenario", "half") else "right")
    paraphrases = report.paraphrases
    assert paraphrases is not None
    for scenario in sorted({case.scenario for case in paraphrases.cases}):
        p = f"paraphrases.scenario.{scenario}"
        half = "tuned" if scenario in paraphrases.tuned else "held out"
        table.add_row(scenario, half, f"{m[f'{p}.recall']:.2f}", f"{m[f'{p}.precision']:.2f}")
    for label, p in (
        ("tuned half", "paraphrases.tuned"),
        ("held-out half", "paraphrases.held_out"),
        ("all", "paraphrases"),
        ("literal cues (baseline)", "paraphrases.cues"),
    ):
        table.add_row(f"[bold]{label}[/bold]", "", f"{m[f'{p}.recall']:.3f}", f"{m[f'{p}.precision']:.3f}")
    console.print(table)


def _print_screen(console: Console, report: EvalReport) -> None:
    m = report.metrics
    table = Table(title="screen: per category")
    for column in ("category", "recall", "same category", "false positives", "n"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for category in ("self_harm", "harm_to_others", "abuse"):
        p = f"screen.{category}"
        table.add_row(
            category,
            f"{m[f'{p}.recall']:.3f}",
            f"{m[f'{p}.agreement']:.3f}",
            f"{m[f'{p}.false_positive_rate']:.2%}",
            f"{m[f'{p}.n']:.0f}",
        )
    table.add_row(
        "all",
        f"{m['screen.recall']:.3f}",
        "",
        f"{m['screen.false_positive_rate']:.2%}",
        f"{m['screen.cases']:.0f}",
    )
    console.print(table)
    if report.screen_holdout:
        h = "screen.holdout"
        console.print(
            f"screen, held out (evals/screen-holdout, never tuned against): recall {m[f'{h}.recall']:.3f} "
            f"(self_harm {m[f'{h}.self_harm.recall']:.3f}, "
            f"harm_to_others {m[f'{h}.harm_to_others.recall']:.3f}, "
            f"abuse {m[f'{h}.abuse.recall']:.3f}); false positives {m[f'{h}.false_positive_rate']:.2%} "
            f"of {m[f'{h}.negatives']:.0f}"
        )
    for outcome in report.screen:
        if not outcome.passed:
            console.print(
                f"  [red]{outcome.id}[/red] ({outcome.form}): "
                f"expected {outcome.expected}, got {outcome.predicted}"
            )


def _compare(console: Console, before_path: Path, after_path: Path) -> int:
    result = compare(load_report(before_path), load_report(after_path))
    table = Table(title=f"{before_path.name} → {after_path.name}")
    for column in ("metric", "before", "after", "change"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for delta in result.deltas:
        before = "-" if delta.before is None else f"{delta.before:.3f}"
        after = "-" if delta.after is None else f"{delta.after:.3f}"
        colour = "green" if delta.change > 0 else "red"
        table.add_row(delta.metric, before, after, f"[{colour}]{delta.change:+.3f}[/{colour}]")
    console.print(table if result.deltas else "no metric changed")
    for flip in result.flips:
        console.print(f"{flip.suite} {flip.case}: {flip.before} → {flip.after}")
    console.print(f"{len(result.flips)} case(s) flipped")
    return 0


def _save_recording(result: RunResult, folder: Path, console: Console) -> None:
    for suite, exchanges in result.recorded.items():
        path = fixture_path(folder, suite)
        existing = load_fixture_file(path)
        replaced = {(e.key, e.role) for e in exchanges}
        kept = [c for c in existing.calls if (c.key, c.role) not in replaced]
        models = {**existing.models, **result.models}
        save_fixture_file(path, FixtureFile(prices=existing.prices, models=models, calls=kept + exchanges))
        console.print(f"recorded {len(exchanges)} answers into {path}")


async def _run(settings: Settings, options: RunOptions, console: Console) -> RunResult:
    columns = (TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task: list[TaskID] = []

        def start(suite: str, total: int) -> None:
            task.append(bar.add_task(suite, total=total))

        def advance() -> None:
            bar.advance(task[-1])

        return await runner.run(settings, options, RunProgress(start, advance))


def run_command(settings: Settings, args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    if args.compare:
        return _compare(Console(), Path(args.compare[0]), Path(args.compare[1]))
    engine = EngineName(args.engine or ("live" if args.record else "rules"))
    if args.record and engine is not EngineName.live:
        console.print("--record needs the live engine (a model in TRAINER_LLM_*)")
        return 2
    options = RunOptions(
        engine=engine,
        suites=tuple(args.suite or SUITES),
        concurrency=args.concurrency,
        repeat=max(1, args.repeat),
        record=args.record,
        fixtures=args.fixtures,
    )
    result = asyncio.run(_run(settings, options, console))
    report = result.report
    thresholds = load_thresholds(Path(args.thresholds) if args.thresholds else EVALS_DIR / "thresholds.yaml")
    report.gate_failures = check(report, thresholds)
    _print_report(Console(), report)
    folder = Path(args.report)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"eval-{engine.value}.json").write_text(report.model_dump_json(indent=1), encoding="utf-8")
    (folder / f"eval-{engine.value}.html").write_text(render_html(report), encoding="utf-8")
    console.print(
        f"reports: {folder / f'eval-{engine.value}.json'} and {folder / f'eval-{engine.value}.html'}"
    )
    if args.record:
        _save_recording(result, EVALS_DIR / "fixtures", console)
    for failure in report.gate_failures:
        console.print(f"[red]gate failed[/red]: {failure}")
    return 1 if report.gate_failures else 0


def run(settings: Settings, args: argparse.Namespace) -> int:
    try:
        return run_command(settings, args)
    except (TrainerError, ValueError) as error:
        print(f"trainer eval: {error}", file=sys.stderr)
        return 2
