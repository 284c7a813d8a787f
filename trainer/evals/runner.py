"""Run the chosen suites on one engine and build the report.

With the replay engine only the cases that have fixtures run (the rest are counted as skipped);
a replayed call the fixtures cannot answer stops the run with ``StaleFixtures``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from trainer.content.loader import load_scenarios
from trainer.content.rubric import load_rubrics
from trainer.evals.cases import load_adversarial, load_reply_cases
from trainer.evals.conversations import load_conversations
from trainer.evals.eval_engines import EngineName, EvalEngines, live_engines, replay_engines, rules_engines
from trainer.evals.fixtures import Exchange, FixtureBook, Role, fixture_path, load_fixture_file
from trainer.evals.moment_runner import run_moment
from trainer.evals.moments import load_moments
from trainer.evals.paraphrases import run_paraphrases
from trainer.evals.replay import StaleFixtures
from trainer.evals.results import EvalReport
from trainer.evals.screen_suite import load_screen_cases, run_screen_cases
from trainer.evals.suites import bounded, run_adversarial_case, run_conversation, run_reply_case
from trainer.evals.summary import summarise
from trainer.safety.screen import default_screen
from trainer.settings import DATA_DIR, Settings

SUITES: tuple[str, ...] = ("replies", "adversarial", "conversations", "paraphrases", "moments", "screen")
EVALS_DIR = DATA_DIR / "evals"
ADVERSARIAL_SCENARIO = "work-vent"
"""The scenario whose partner answers the attacks that must not break character."""


@dataclass(frozen=True)
class RunOptions:
    engine: EngineName = EngineName.rules
    suites: Sequence[str] = SUITES
    concurrency: int = 8
    repeat: int = 1
    record: bool = False
    stamp: bool = False
    evals_dir: Path = EVALS_DIR
    # A named set of fixtures instead of the recorded ones: ``<suite>-<fixtures>.yaml`` (e.g. the
    # "fooled" judges of the adversarial suite).
    fixtures: str = ""


@dataclass
class Progress:
    """Callbacks for a progress display: ``start(suite, total)`` then ``advance()`` per case."""

    start: Callable[[str, int], None] = lambda suite, total: None
    advance: Callable[[], None] = lambda: None


@dataclass
class RunResult:
    report: EvalReport
    recorded: dict[str, list[Exchange]] = field(default_factory=dict)
    models: dict[Role, str] = field(default_factory=dict)
    stamped: list[Exchange] = field(default_factory=list)


def _fixtures(options: RunOptions) -> FixtureBook:
    folder = options.evals_dir / "fixtures"
    return FixtureBook(
        load_fixture_file(fixture_path(folder, suite, options.fixtures)) for suite in options.suites
    )


def _engines(settings: Settings, options: RunOptions) -> EvalEngines:
    rubrics = load_rubrics(settings.rubrics_path)
    if options.engine is EngineName.replay:
        return replay_engines(rubrics, settings.prompts_dir, _fixtures(options), stamp=options.stamp)
    if options.engine is EngineName.live:
        return live_engines(settings, rubrics, record=options.record)
    return rules_engines(rubrics)


def _check_replay(engines: EvalEngines) -> None:
    if engines.replay is not None and engines.replay.problems:
        problems = engines.replay.problems
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise StaleFixtures("trainer/data/evals/fixtures", "; ".join(problems[:5]) + more)


async def run(settings: Settings, options: RunOptions, progress: Progress | None = None) -> RunResult:
    progress = progress or Progress()
    unknown = [suite for suite in options.suites if suite not in SUITES]
    if unknown:
        raise ValueError(f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    started = time.perf_counter()
    report = EvalReport(
        engine=options.engine.value,
        suites=list(options.suites),
        repeat=options.repeat,
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    engines = _engines(settings, options)
    book = engines.replay.book if engines.replay is not None else None
    result = RunResult(report)
    try:
        if "replies" in options.suites:
            cases = load_reply_cases(options.evals_dir / "replies")
            if book is not None:
                keys = book.keys(Role.judge)
                report.skipped["replies"] = sum(case.id not in keys for case in cases)
                cases = [case for case in cases if case.id in keys]
            progress.start("replies", len(cases))
            report.replies = await bounded(
                [partial(run_reply_case, engines, case, options.repeat, report.spent) for case in cases],
                options.concurrency,
                progress.advance,
            )
            _check_replay(engines)
        if "adversarial" in options.suites:
            attacks = load_adversarial(options.evals_dir / "adversarial.yaml")
            if book is not None:
                keys = book.keys(Role.judge)
                report.skipped["adversarial"] = sum(case.id not in keys for case in attacks)
                attacks = [case for case in attacks if case.id in keys]
            progress.start("adversarial", len(attacks))
            partner_scenario = load_scenarios(settings.scenarios_dir).get(ADVERSARIAL_SCENARIO)
            report.adversarial = await bounded(
                [
                    partial(run_adversarial_case, engines, case, report.spent, partner_scenario)
                    for case in attacks
                ],
                options.concurrency,
                progress.advance,
            )
            _check_replay(engines)
        if "conversations" in options.suites:
            scenarios = load_scenarios(settings.scenarios_dir)
            talks = load_conversations(options.evals_dir / "conversations", scenarios)
            if book is not None:
                keys = book.keys()
                report.skipped["conversations"] = sum(f"{talk.id}#0" not in keys for talk in talks)
                talks = [talk for talk in talks if f"{talk.id}#0" in keys]
            progress.start("conversations", len(talks))
            report.conversations = await bounded(
                [
                    partial(run_conversation, engines, talk, scenarios[talk.scenario], report.spent)
                    for talk in talks
                ],
                options.concurrency,
                progress.advance,
            )
            _check_replay(engines)
        if "paraphrases" in options.suites:
            # The matcher is offline on every engine: the same figures whatever answers the judge.
            scenarios = load_scenarios(settings.scenarios_dir)
            report.paraphrases = run_paraphrases(options.evals_dir / "paraphrases", scenarios)
        if "moments" in options.suites:
            await _run_moments(settings, options, engines, report, progress)
        if "screen" in options.suites:
            screen_cases = load_screen_cases(options.evals_dir / "screen")
            progress.start("screen", len(screen_cases))
            report.screen = run_screen_cases(default_screen(), screen_cases)
            for _ in screen_cases:
                progress.advance()
            held_out = options.evals_dir / "screen-holdout"
            if held_out.is_dir():
                report.screen_holdout = run_screen_cases(default_screen(), load_screen_cases(held_out))
    finally:
        await engines.aclose()
    for recorder in engines.recorders:
        if recorder.asked is not None:
            result.models[recorder.role] = recorder.asked
        for exchange in recorder.recorded:
            suite = _suite_of(exchange.key, report)
            result.recorded.setdefault(suite, []).append(exchange)
    if engines.replay is not None:
        result.stamped = engines.replay.stamped
    report.seconds = round(time.perf_counter() - started, 3)
    summarise(report)
    return result


async def _run_moments(
    settings: Settings, options: RunOptions, engines: EvalEngines, report: EvalReport, progress: Progress
) -> None:
    """The conversations written to the exercise's moments (``evals/moments``)."""
    scenarios = load_scenarios(settings.scenarios_dir)
    rubrics = load_rubrics(settings.rubrics_path)
    talks = load_moments(options.evals_dir / "moments", scenarios)
    book = engines.replay.book if engines.replay is not None else None
    if book is not None:
        keys = book.keys()
        report.skipped["moments"] = sum(f"{talk.id}#0" not in keys for talk in talks)
        talks = [talk for talk in talks if f"{talk.id}#0" in keys]
    progress.start("moments", len(talks))
    report.moments = await bounded(
        [
            partial(run_moment, engines, talk, scenarios[talk.scenario], rubrics, report.spent)
            for talk in talks
        ],
        options.concurrency,
        progress.advance,
    )
    _check_replay(engines)


def _suite_of(key: str, report: EvalReport) -> str:
    if "#" in key:
        talk = key.split("#", 1)[0]
        return "moments" if any(o.id == talk for o in report.moments) else "conversations"
    return "adversarial" if any(o.id == key for o in report.adversarial) else "replies"
