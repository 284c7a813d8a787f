"""Runs one moment conversation (``trainer.evals.moments``) and checks every turn and the end report.

Besides what each turn states, every turn is held to two rules of the issue: a tip never pastes a
key point's id (or its words as a slug), and a tip is never the same as the one before it.
"""

from __future__ import annotations

import re

from trainer.content.rubric import RubricSet
from trainer.content.scenario import Scenario, Stage
from trainer.evals.eval_engines import EvalEngines
from trainer.evals.moments import MomentTurn, ReportExpectation, SafetyMove, ScenarioMoment
from trainer.evals.replay import case_scope
from trainer.evals.results import ConversationOutcome, Spent, TurnCheck
from trainer.grading.tips import topic
from trainer.partner.hints import hint
from trainer.partner.state import STAGE_ORDER, PartnerState
from trainer.sessions.feedback import TurnView, ending_line, feedback, report_lines, view
from trainer.sessions.turn import TurnResult, open_session, take_turn
from trainer.vocabulary.errors import TrainerError
from trainer.vocabulary.messages import Message, Role

PATH = "moments"
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def moved_on(before: Stage, after: Stage) -> bool:
    """The partner went forward in the exercise, or came back from withdrawn."""
    if before is Stage.withdrawn:
        return after is not Stage.withdrawn
    if after not in STAGE_ORDER:
        return False
    return STAGE_ORDER.index(after) > STAGE_ORDER.index(before)


def _says(text: str, phrase: str) -> bool:
    return phrase.lower() in text.lower()


def check_turn(
    turn: MomentTurn,
    before: PartnerState,
    result: TurnResult,
    previous_tip: str | None,
    scenario: Scenario,
    hinted: str,
) -> list[str]:
    """Everything wrong with one turn, in words."""
    grade, after = result.grade, result.state
    problems: list[str] = []
    if after.stage is not turn.stage:
        problems.append(f"stage {after.stage.value}, expected {turn.stage.value}")
    if moved_on(before.stage, after.stage) is not turn.moves_on:
        problems.append(f"moved on {not turn.moves_on}, expected {turn.moves_on}")
    applied = {name for name, score in grade.rubrics.items() if score.applicable}
    if applied != set(turn.applicable):
        got = ", ".join(sorted(n.value for n in applied)) or "none"
        want = ", ".join(sorted(n.value for n in turn.applicable)) or "none"
        problems.append(f"applicable [{got}], expected [{want}]")
    for name, (low, high) in turn.scores.items():
        score = grade.rubrics[name].score
        if not low <= score <= high:
            problems.append(f"{name.value} {score}, expected {low}..{high}")
    codes = {b.code for b in grade.behaviours}
    problems += [f"no {code.value}" for code in turn.shows if code not in codes]
    problems += [f"coded {code.value}" for code in turn.never if code in codes]
    if bool(grade.notice) is not turn.notice:
        problems.append("a notice was expected" if turn.notice else f"unexpected notice {grade.notice!r}")
    if turn.safety is not None:
        change = result.safety_change
        went = SafetyMove.up if change > 0 else SafetyMove.down if change < 0 else SafetyMove.same
        if went is not turn.safety:
            problems.append(f"safety went {went.value} ({change:+d}), expected {turn.safety.value}")
    problems += [f"tip lacks {w!r}" for w in turn.tip_says if not _says(grade.tip, w)]
    problems += [f"tip says {w!r}" for w in turn.tip_never_says if _says(grade.tip, w)]
    problems += [f"hint lacks {w!r}" for w in turn.hint_says if not _says(hinted, w)]
    unquoted = _QUOTED.sub(" ", grade.tip)
    for point in scenario.key_points:
        if ("-" in point.id or "_" in point.id) and (point.id in grade.tip or topic(point.id) in unquoted):
            problems.append(f"tip pastes the key point {point.id!r}")
    if previous_tip is not None and grade.tip and grade.tip == previous_tip:
        problems.append("the same tip as the turn before")
    if not result.partner_text.strip():
        problems.append("the partner said nothing")
    return problems


async def run_moment(
    engines: EvalEngines, item: ScenarioMoment, scenario: Scenario, rubrics: RubricSet, spent: Spent
) -> ConversationOutcome:
    conversation = item.conversation
    outcome = ConversationOutcome(id=conversation.id, scenario=item.scenario, path=PATH)
    opening = open_session(scenario)
    state = opening.state
    history = [Message(role=Role.partner, text=opening.text)]
    previous_tip: str | None = None
    views: list[TurnView] = []
    for index, turn in enumerate(conversation.turns):
        try:
            with case_scope(f"{conversation.id}#{index}"):
                result = await take_turn(engines.engines, scenario, state, history, turn.reply)
        except TrainerError as error:
            outcome.error = f"turn {index + 1}: {type(error).__name__}: {error.detail}"
            outcome.first_divergence = index
            return outcome
        for usage in (result.judge_usage, result.voice_usage):
            if usage.model is not None:
                spent.add(usage.input_tokens, usage.output_tokens, usage.cost_usd)
        spoken = [
            *history,
            Message(role=Role.learner, text=turn.reply),
            Message(role=Role.partner, text=result.partner_text),
        ]
        hinted = hint(scenario, result.state, spoken) if turn.hint_says else ""
        problems = check_turn(turn, state, result, previous_tip, scenario, hinted)
        if engines.uses_model and result.voice_usage.degraded:
            problems.append(f"the model partner fell back to its scripted line ({result.voice_usage.error})")
        outcome.turns.append(
            TurnCheck(
                index=index,
                stage=result.state.stage.value,
                status=result.status.value,
                safety=result.state.safety,
                reaction=result.cue.reaction.value,
                problems=problems,
            )
        )
        if problems:
            outcome.first_divergence = index
            return outcome
        views.append(view(turn.reply, result.grade))
        previous_tip, state, history = result.grade.tip, result.state, spoken
    if conversation.report is not None:
        problems = _check_report(conversation.report, views, rubrics, scenario.partner.name, state)
        if problems:
            outcome.turns.append(
                TurnCheck(
                    index=len(conversation.turns),
                    stage="report",
                    status=state.status.value,
                    safety=state.safety,
                    reaction="",
                    problems=problems,
                )
            )
            outcome.first_divergence = len(conversation.turns)
    return outcome


def _check_report(
    expected: ReportExpectation, views: list[TurnView], rubrics: RubricSet, name: str, state: PartnerState
) -> list[str]:
    """The end report as the terminal prints it, held to what the conversation says it must say."""
    titles = {rubric.name: rubric.title for rubric in rubrics}
    summary = feedback(views, titles, rubrics.tip_priority)
    text = "\n".join(report_lines(summary, rubrics, ending_line(name, state), len(views)))
    problems = [f"report lacks {phrase!r}" for phrase in expected.says if not _says(text, phrase)]
    problems += [f"report says {phrase!r}" for phrase in expected.never_says if _says(text, phrase)]
    return problems
