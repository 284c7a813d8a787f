"""One practice turn, end to end: check the reply, screen it, grade it, move the partner, answer.

The safety screen (``trainer.safety``) runs first, offline, before any grading or model call: a
reply that signals risk is not graded, the partner does not answer, the state does not move and the
session pauses (``TurnResult.screen`` says what the learner sees instead). With a model configured,
the model also checks the replies the offline screen let through (``trainer.safety.model_check``),
at the same time as the judge and the partner work; nothing of theirs goes out before its answer,
and a reply it flags is paused the same way.

The rules grade (instant, offline) drives the partner's state, so the same reply always has the same
effect; then the judge's grade and the partner's line are produced at the same time. Offline, the
judge passes the rules grade through and the partner reads its scripted lines; model-backed engines
plug into the same two seams (``trainer.engines.Engines``). Nothing here keeps state between turns: the
caller stores the returned ``PartnerState`` and hands it back next time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import suppress
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from trainer.coding.invisible import clean_reply
from trainer.content.scenario import Reaction, Scenario, Stage
from trainer.engines import Engines
from trainer.grading.grader import RulesGrader
from trainer.grading.tips import deeper_feeling, good_news, next_step_tip, repair_tip, worst_hurt
from trainer.partner.answers import DEEPER_POINT_ID
from trainer.partner.scripted_partner import ScriptedPartner, last_partner_line, opening_line
from trainer.partner.state import PartnerState, SessionStatus, initial_state, reached
from trainer.partner.transitions import Transition, step
from trainer.partner.voice import PartnerCue
from trainer.safety.model_check import RiskChecked, with_check
from trainer.safety.resources import Help
from trainer.vocabulary.codes import Code
from trainer.vocabulary.errors import InvalidReply, SessionNotActive, SessionPaused
from trainer.vocabulary.grades import Grade, GradeContext, KeyPointRef, NamedMiss
from trainer.vocabulary.limits import MAX_REPLY_CHARS
from trainer.vocabulary.messages import Message, Role
from trainer.vocabulary.seams import Judged, Usage


class Opening(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    state: PartnerState


class TurnResult(BaseModel):
    """Everything one turn produced, ready to store and to show."""

    model_config = ConfigDict(extra="forbid")

    grade: Grade
    rules_grade: Grade
    partner_text: str
    state: PartnerState
    status: SessionStatus
    explanation: list[str]
    judge_usage: Usage
    voice_usage: Usage
    cue: PartnerCue
    safety_change: int
    disagreement: dict[str, tuple[int, int]] = Field(
        default_factory=dict, description="Rubrics where the judge and the rules differ by 2 or more"
    )
    screen: Help | None = None
    notice: str | None = None


def open_session(scenario: Scenario, variant: int = 0) -> Opening:
    """The partner's first line and state; ``variant`` picks among the scenario's openings."""
    text = opening_line(scenario, variant)
    state = initial_state(scenario, variant)
    state.last_scripted = text
    return Opening(text=text, state=state)


def context_for(scenario: Scenario, state: PartnerState, history: Sequence[Message]) -> GradeContext:
    """What the grader needs besides the reply: the partner's last line, the key points and feelings.

    The key points are the ones the learner has not reflected yet: as in the exercise, the next
    reflection is judged on what is still missing, not on retelling the whole story each time; once
    the partner feels understood none are left. Once the deeper feeling is out, its cues join them
    under ``DEEPER_POINT_ID`` so the coder can tell when a reply hears it, and a word for it
    (``deeper_feeling``) is the feeling the tips name.
    """
    if reached(state.stage, Stage.understood):
        # Once the partner feels understood, the story is heard: what is left is the feeling underneath.
        missing = []
    else:
        missing = [kp for kp in scenario.key_points if kp.id not in state.reflected]
    points = [KeyPointRef(id=kp.id, cues=tuple(kp.cues)) for kp in missing]
    if state.revealed:
        points.append(KeyPointRef(id=DEEPER_POINT_ID, cues=tuple(scenario.deeper.cues)))
    return GradeContext(
        partner=last_partner_line(history) or "",
        history=tuple(history),
        key_points=tuple(points),
        feelings=tuple(scenario.feelings),
        advice_requested=state.advice_requested,
        permission_granted=state.permission_granted,
        ideas_declined=state.last_reaction is Reaction.permission_no,
        stage=state.moment,
        turn=state.turns,
        deeper_feeling=deeper_feeling(scenario, [m.text for m in history if m.role is Role.partner])
        if state.revealed
        else None,
    )


def checked_reply(reply: str) -> str:
    """The reply as it is kept and graded: folded and without invisible characters (``clean_reply``)."""
    text = clean_reply(reply).strip()
    if not text:
        raise InvalidReply("The reply is empty.")
    if len(text) > MAX_REPLY_CHARS:
        raise InvalidReply(f"The reply is {len(text)} characters long; the limit is {MAX_REPLY_CHARS}.")
    return text


@dataclass
class _Prepared:
    reply: str
    context: GradeContext
    rules_grade: Grade
    transition: Transition
    history: tuple[Message, ...]


def paused_detail(session_id: str | None = None) -> str:
    where = f"/v1/sessions/{session_id}/resume" if session_id else "/v1/sessions/{id}/resume"
    return (
        "The role-play is paused so you can look after yourself or someone else first; it takes no "
        f"replies until you resume it (POST {where}) or end it."
    )


def _screened(
    state: PartnerState, screen: Help, spent: Usage | None = None, voice: Usage | None = None
) -> TurnResult:
    """The turn of a screened reply: no grade, no partner line, the state as it was, paused.

    ``spent`` and ``voice`` are what the models cost when the model's check paused the turn (the
    judge's and the check's calls, and the partner's line nobody hears)."""
    paused = state.model_copy(update={"status": SessionStatus.paused})
    empty = Grade(behaviours=(), rubrics={}, tip="")
    return TurnResult(
        grade=empty,
        rules_grade=empty,
        partner_text="",
        state=paused,
        status=SessionStatus.paused,
        explanation=["the safety screen paused the role-play"],
        judge_usage=spent or Usage(engine="screen"),
        voice_usage=voice or Usage(engine="screen"),
        cue=PartnerCue(reaction=state.last_reaction or Reaction.nudge, turn_index=state.turns),
        safety_change=0,
        screen=screen,
    )


def _check_open(state: PartnerState) -> None:
    if state.status is SessionStatus.paused:
        raise SessionPaused(paused_detail())
    if state.status is not SessionStatus.active:
        raise SessionNotActive(f"The session is {state.status.value}; it takes no more replies.")


def _prepare(
    engines: Engines, scenario: Scenario, state: PartnerState, history: Sequence[Message], reply: str
) -> _Prepared:
    _check_open(state)
    text = checked_reply(reply)
    context = context_for(scenario, state, history)
    rules_grade = engines.grader.grade(text, context)
    # The state moves on the reply and the state alone: a model partner's own wording of its last
    # line must not change what the reply counts as, so the reply is coded against the scripted line.
    steering = rules_grade
    if state.last_scripted and state.last_scripted != context.partner:
        steering = engines.grader.grade(text, context.model_copy(update={"partner": state.last_scripted}))
    partner_lines = [m.text for m in history if m.role is Role.partner]
    if state.last_scripted and partner_lines:
        partner_lines[-1] = state.last_scripted
    transition = step(scenario, state, steering, text, partner_lines)
    rules_grade = as_the_partner_heard(engines.grader, text, rules_grade, context, transition)
    rules_grade = fit_tip(rules_grade, state, transition, good_news(scenario))
    spoken = (*history, Message(role=Role.learner, text=text))
    transition.state.last_scripted = ScriptedPartner().line(scenario, transition.cue, spoken)
    return _Prepared(text, context, rules_grade, transition, spoken)


def as_the_partner_heard(
    grader: RulesGrader, reply: str, grade: Grade, context: GradeContext, transition: Transition
) -> Grade:
    """The grade read again with what the partner heard, so that its score and tip say the same as
    the partner: the key points it credited are not missing, and the point it names as missed (or
    says again, when it heard none of its story) is the one the tip names. The coding is reused: only
    the reading and the tip can change."""
    coding = grade.coding
    if coding is None:
        return grade
    cue, named = transition.cue, context.named_miss
    heard = [kp.id for kp in context.key_points if kp.id in transition.state.reflected]
    credited = tuple(point for point in heard if point not in coding.key_points)
    if transition.heard_nothing and cue.point is not None:
        named = NamedMiss(words=cue.point, heard_nothing=True)
    elif cue.reaction is Reaction.partial and cue.missed is not None:
        named = NamedMiss(words=cue.missed, named_before=transition.missed_before)
    if not credited and named is context.named_miss:
        return grade
    coding = coding.model_copy(update={"key_points": (*coding.key_points, *credited)})
    return grader.grade_coding(reply, coding, context.model_copy(update={"named_miss": named}))


def fit_tip(grade: Grade, before: PartnerState, transition: Transition, good_news: bool) -> Grade:
    """The tip for where the partner is now: a reply that made the partner withdraw gets one that
    models a repair; a reply that met its moment and moved the partner on gets the next moment's step."""
    after = transition.state.stage
    codes = frozenset(b.code for b in grade.behaviours)
    if before.stage is not Stage.withdrawn and after is Stage.withdrawn and Code.repair not in codes:
        return grade.model_copy(update={"tip": repair_tip(worst_hurt(codes), before.turns)})
    met = all(score.score == 3 for score in grade.rubrics.values() if score.applicable)
    if met and grade.notice is None and after is not before.stage and after is not Stage.withdrawn:
        ideas = transition.state.advice_requested or transition.state.permission_granted
        tip = next_step_tip(codes, after, good_news, before.turns, ideas_asked=ideas)
        return grade.model_copy(update={"tip": tip})
    return grade


def _result(prepared: _Prepared, judged: Judged, partner_text: str, voice_usage: Usage) -> TurnResult:
    transition = prepared.transition
    grade = judged.grade
    if grade is not prepared.rules_grade:
        # The judge's grade keeps the rules grade's notice, and its repair tip after a withdrawal.
        grade = grade.model_copy(update={"notice": prepared.rules_grade.notice})
        if transition.state.stage is Stage.withdrawn:
            grade = grade.model_copy(update={"tip": prepared.rules_grade.tip})
    return TurnResult(
        grade=grade,
        rules_grade=prepared.rules_grade,
        partner_text=partner_text,
        state=transition.state,
        status=transition.status,
        explanation=transition.explanation,
        judge_usage=judged.usage,
        voice_usage=voice_usage,
        cue=transition.cue,
        safety_change=transition.safety_change,
        disagreement=judged.disagreement,
        notice=transition.notice,
    )


def screen_reply(
    engines: Engines,
    state: PartnerState,
    history: Sequence[Message],
    reply: str,
    tenant: str | int | None = None,
) -> TurnResult | None:
    """The screened turn when the reply signals risk, else None; checks the reply and status first."""
    _check_open(state)
    text = checked_reply(reply)
    screen = engines.safety.check(text, last_partner_line(history), tenant)
    return _screened(state, screen) if screen is not None else None


async def take_turn(
    engines: Engines,
    scenario: Scenario,
    state: PartnerState,
    history: Sequence[Message],
    reply: str,
    tenant: str | int | None = None,
) -> TurnResult:
    """One whole turn. Raises ``InvalidReply`` or ``SessionNotActive`` before anything is graded."""
    # the screen's reader is a few milliseconds of numpy: off the event loop
    screened = await asyncio.to_thread(screen_reply, engines, state, history, reply, tenant)
    if screened is not None:
        return screened
    prepared = _prepare(engines, scenario, state, history, reply)
    voice_usage = Usage()
    judged, partner_text, risk = await asyncio.gather(
        engines.judge.judge(prepared.reply, prepared.context, prepared.rules_grade),
        engines.voice.say(scenario, prepared.transition.cue, prepared.history, voice_usage),
        engines.risk_of(prepared.reply, prepared.context.partner),
    )
    flagged = _flagged(engines, state, risk, judged.usage, voice_usage, tenant)
    if flagged is not None:
        return flagged
    return _checked(_result(prepared, judged, partner_text, voice_usage), risk)


async def stream_turn(
    engines: Engines,
    scenario: Scenario,
    state: PartnerState,
    history: Sequence[Message],
    reply: str,
    tenant: str | int | None = None,
) -> AsyncIterator[str | TurnResult]:
    """Like ``take_turn``, but yields the partner's words as they come, then the ``TurnResult``.

    A screened reply yields no words, only its ``TurnResult``. When the model partner's line had to
    be replaced after some of it went out, the result's line is the scripted one that replaced it.
    """
    # the screen's reader is a few milliseconds of numpy: off the event loop
    screened = await asyncio.to_thread(screen_reply, engines, state, history, reply, tenant)
    if screened is not None:
        yield screened
        return
    prepared = _prepare(engines, scenario, state, history, reply)
    voice_usage = Usage()
    judging = asyncio.ensure_future(
        engines.judge.judge(prepared.reply, prepared.context, prepared.rules_grade)
    )
    speaking = aiter(engines.voice.speak(scenario, prepared.transition.cue, prepared.history, voice_usage))
    # The partner starts on its line while the model's safety check runs; none of it goes out first.
    first: asyncio.Future[str | None] = asyncio.ensure_future(anext(speaking, None))
    pieces: list[str] = []
    try:
        risk = await engines.risk_of(prepared.reply, prepared.context.partner)
        # The learner at risk hears from us now, not after the judge: its call is left behind.
        flagged = _flagged(engines, state, risk, Usage(engine="screen"), voice_usage, tenant)
        if flagged is not None:
            yield flagged
            return
        piece = await first
        while piece is not None:
            pieces.append(piece)
            yield piece
            piece = await anext(speaking, None)
        judged = await judging
    finally:
        if not judging.done():
            judging.cancel()
        if not first.done():
            first.cancel()
            with suppress(asyncio.CancelledError):
                await first
        close = getattr(speaking, "aclose", None)
        if close is not None:
            await close()
    text = "".join(pieces)
    if voice_usage.replaced is not None:
        text = ScriptedPartner().line(scenario, prepared.transition.cue, prepared.history)
    yield _checked(_result(prepared, judged, text, voice_usage), risk)


def _flagged(
    engines: Engines,
    state: PartnerState,
    risk: RiskChecked | None,
    judge_usage: Usage,
    voice_usage: Usage,
    tenant: str | int | None,
) -> TurnResult | None:
    """The paused turn when the model's safety check named a category, else None."""
    if risk is None or risk.category is None:
        return None
    help_ = engines.safety.help_for(risk.category, tenant)
    return _screened(state, help_, with_check(judge_usage, risk), voice_usage)


def _checked(result: TurnResult, risk: RiskChecked | None) -> TurnResult:
    """``result`` with the model check's cost added to the judge's (the grading side of the turn)."""
    if risk is None:
        return result
    return result.model_copy(update={"judge_usage": with_check(result.judge_usage, risk)})
