"""Whole conversations through the real coder and grader, for every scenario file in scenarios/.

The scenarios are found by listing the folder, so a new scenario file is covered without editing
this test: following the hints must complete it, hostility must make the partner withdraw, a repair
must bring them back, and every scripted line must be reachable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from trainer.content.loader import load_scenario_file
from trainer.content.rubric import RubricSet, load_rubrics
from trainer.content.scenario import Reaction, Scenario, Stage
from trainer.engines import Engines
from trainer.grading.grader import RulesGrader
from trainer.partner.hints import hint
from trainer.partner.scripted_partner import ScriptedPartner
from trainer.partner.state import PartnerState, SessionStatus, reached
from trainer.partner.transitions import step
from trainer.partner.tuning import rules_for
from trainer.sessions.turn import TurnResult, context_for, open_session, take_turn
from trainer.settings import DATA_DIR
from trainer.vocabulary.grades import RubricName
from trainer.vocabulary.messages import Message, Role

SCENARIO_FILES = sorted(p for p in (DATA_DIR / "scenarios").iterdir() if p.suffix in (".yaml", ".yml"))

ADVICE = "You should just talk to them about it and then try to move on."
INVALIDATION = "You're overreacting. It's really not a big deal."
SELF_FOCUS = "That reminds me of when my boss did the same thing to me, and honestly mine was worse."
HOSTILE = (ADVICE, INVALIDATION, SELF_FOCUS)
ADVICE_OFFER = "You could try talking to them about it this week, maybe over coffee."


@cache
def rubrics() -> RubricSet:
    return load_rubrics(DATA_DIR / "rubrics.yaml")


@cache
def engines() -> Engines:
    return Engines.offline(rubrics())


@pytest.fixture(params=SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def scenario(request: pytest.FixtureRequest) -> Scenario:
    path: Path = request.param
    return load_scenario_file(path)


@dataclass
class Talk:
    """A conversation in progress: the history, the state, and every turn so far."""

    scenario: Scenario
    state: PartnerState
    history: list[Message]
    turns: list[TurnResult] = field(default_factory=list)

    @classmethod
    def open(cls, scenario: Scenario) -> Talk:
        opening = open_session(scenario)
        return cls(scenario, opening.state, [Message(role=Role.partner, text=opening.text)])

    @property
    def active(self) -> bool:
        return self.state.status is SessionStatus.active

    async def say(self, reply: str) -> TurnResult:
        result = await take_turn(engines(), self.scenario, self.state, self.history, reply)
        self.history += [
            Message(role=Role.learner, text=reply), Message(role=Role.partner, text=result.partner_text)
        ]
        self.state = result.state
        self.turns.append(result)
        return result

    async def follow_hints(self, until: Stage | None = None) -> None:
        while self.active and (until is None or not reached(self.state.stage, until)):
            await self.say(hint(self.scenario, self.state, self.history))

    def reactions(self) -> list[Reaction]:
        return [turn.cue.reaction for turn in self.turns]


def _trace(talk: Talk) -> str:
    return "\n".join(
        f"{m.role.value}: {m.text}" + (f"  [{t.cue.reaction.value} -> {t.state.stage.value} {t.state.safety}]"
                                       if m.role is Role.partner and (t := _turn_for(talk, i)) else "")
        for i, m in enumerate(talk.history)
    )


def _turn_for(talk: Talk, index: int) -> TurnResult | None:
    turn = index // 2 - 1 if index % 2 == 0 else -1
    return talk.turns[turn] if 0 <= turn < len(talk.turns) else None


async def test_following_the_hints_completes_the_exercise(scenario: Scenario) -> None:
    talk = Talk.open(scenario)
    await talk.follow_hints()
    assert talk.state.status is SessionStatus.completed, _trace(talk)
    assert talk.state.stage is Stage.done, _trace(talk)
    assert not talk.state.turns_ran_out, _trace(talk)
    assert len(talk.turns) <= scenario.max_turns
    harmful = {Reaction.hurt_advice, Reaction.hurt_invalidation, Reaction.hurt_self_focus,
               Reaction.hurt_defensiveness, Reaction.hurt_leading, Reaction.withdraw}
    assert not harmful & set(talk.reactions()), _trace(talk)


async def test_hostility_makes_the_partner_withdraw_and_then_end(scenario: Scenario) -> None:
    talk = Talk.open(scenario)
    index = 0
    while talk.active and talk.state.stage is not Stage.withdrawn:
        await talk.say(HOSTILE[index % len(HOSTILE)])
        index += 1
    assert talk.state.stage is Stage.withdrawn, _trace(talk)
    assert not talk.state.turns_ran_out, _trace(talk)
    while talk.active:
        await talk.say(HOSTILE[index % len(HOSTILE)])
        index += 1
    assert talk.state.status is SessionStatus.withdrawn, _trace(talk)
    assert talk.reactions()[-1] is Reaction.ended


async def test_a_repair_after_withdrawal_brings_the_partner_back(scenario: Scenario) -> None:
    talk = Talk.open(scenario)
    index = 0
    while talk.state.stage is not Stage.withdrawn:
        await talk.say(HOSTILE[index % len(HOSTILE)])
        index += 1
    if talk.state.status is not SessionStatus.active:
        pytest.skip("this partner allows no repair")
    repair = await talk.say(hint(scenario, talk.state, talk.history))
    assert repair.cue.reaction is Reaction.repair_accepted, _trace(talk)
    assert repair.state.stage is Stage.clarifying
    assert repair.state.repairs == 1
    # Back for real: following the hints from here, the partner feels understood again (the whole
    # exercise may not fit in the replies left after a hostile start).
    await talk.follow_hints(until=Stage.understood)
    assert reached(talk.state.stage, Stage.understood), _trace(talk)


async def test_advice_is_welcome_once_the_partner_asks(scenario: Scenario) -> None:
    if scenario.advice.asks_at is None:
        pytest.skip("this partner never asks for advice")
    talk = Talk.open(scenario)
    while talk.active and not talk.state.advice_requested:
        await talk.say(hint(scenario, talk.state, talk.history))
    assert talk.state.advice_requested, _trace(talk)
    assert talk.reactions()[-1] is Reaction.advice_request
    if not talk.active:
        pytest.skip("the partner asked on the last turn")
    advice = await talk.say(ADVICE_OFFER)
    assert advice.cue.reaction is Reaction.advice_welcome, _trace(talk)
    assert advice.safety_change == 0
    assert advice.grade.rubrics[RubricName.not_fixing].score >= 2


async def test_the_deeper_feeling_never_comes_before_the_partner_feels_understood(scenario: Scenario) -> None:
    deeper_lines = [" ".join(line.split()) for line in scenario.lines[Reaction.reveal]]
    deeper_share = " ".join((scenario.deeper.share or scenario.deeper.summary).split())
    for script in (_hints_only, _questions_first, _hostile_then_repair):
        talk = Talk.open(scenario)
        await script(talk)
        understood = False
        for turn in talk.turns:
            if not understood:
                assert turn.partner_text not in deeper_lines, _trace(talk)
                assert deeper_share not in turn.partner_text, _trace(talk)
                assert not turn.cue.reveal_deeper
            understood = understood or reached(turn.state.stage, Stage.understood)


async def _hints_only(talk: Talk) -> None:
    await talk.follow_hints()


async def _questions_first(talk: Talk) -> None:
    for _ in range(3):
        if talk.active:
            await talk.say("What was the hardest part of it for you?")
    await talk.follow_hints()


async def _hostile_then_repair(talk: Talk) -> None:
    await talk.say(ADVICE)
    await talk.follow_hints()


# -- every line is reachable -----------------------------------------------------------------------

PROBES: Sequence[str] = (
    *HOSTILE,
    "Are you sure that's what happened?",
    "Well, you do that too.",
    "Was it yesterday?",
    "Sorry, what do you mean?",
    "What was the hardest part of it for you?",
    "Would you like ideas about what to do, or do you just want me to listen?",
    "That makes sense.",
    "Okay.",
    ADVICE_OFFER,
)


class _Walker:
    """Scripted paths through the real grader and ``step`` (sync), recording every reaction seen."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.grader = RulesGrader(rubrics())
        self.found: set[Reaction] = {Reaction.opening}
        self.reveals: list[tuple[str, str]] = []
        """(reply, the partner's line) for every turn on which ``state.revealed`` became true."""

    def reply(self, state: PartnerState, history: list[Message], reply: str) -> PartnerState:
        context = context_for(self.scenario, state, history)
        partner_lines = [m.text for m in history if m.role is Role.partner]
        transition = step(self.scenario, state, self.grader.grade(reply, context), reply, partner_lines)
        self.found.add(transition.cue.reaction)
        line = ScriptedPartner().line(self.scenario, transition.cue, history)
        if transition.state.revealed and not state.revealed:
            self.reveals.append((reply, line))
        history += [Message(role=Role.learner, text=reply), Message(role=Role.partner, text=line)]
        return transition.state

    def probe(self, state: PartnerState, history: list[Message]) -> None:
        """Try every probe from ``state``; after a yes to a permission ask, offer the advice too."""
        points = [f"It sounds like a lot of this is about {kp.cues[0]}. Is that right?"
                  for kp in self.scenario.key_points]
        points += [f"Did it leave you feeling {feeling}?" for feeling in self.scenario.feelings[:1]]
        for probe in (*PROBES, *points, *self.scenario.exemplars[Stage.deepening]):
            branch = list(history)
            after = self.reply(state, branch, probe)
            if after.permission_granted and not state.permission_granted:
                self.reply(after, branch, ADVICE_OFFER)

    def path(self, *, hostile_at: Stage | None = None, probe_every_state: bool = False) -> None:
        """Follow the hints; optionally turn hostile once at ``hostile_at`` (until withdrawn), then
        repair and carry on; optionally try every probe from each state on the way."""
        opening = open_session(self.scenario)
        state, history = opening.state, [Message(role=Role.partner, text=opening.text)]
        turned = False
        for _ in range(self.scenario.max_turns * 3):
            if state.status is not SessionStatus.active:
                return
            if probe_every_state:
                self.probe(state, history)
            if hostile_at is not None and not turned and reached(state.stage, hostile_at):
                turned = True
                index = 0
                while state.stage is not Stage.withdrawn and state.status is SessionStatus.active:
                    state = self.reply(state, history, HOSTILE[index % len(HOSTILE)])
                    index += 1
                if state.status is SessionStatus.active:
                    self.reply(state, list(history), PROBES[-2])  # a withdrawn partner ignores "okay"
            state = self.reply(state, history, hint(self.scenario, state, history))


def _walk_everywhere(scenario: Scenario) -> _Walker:
    walker = _Walker(scenario)
    walker.path(probe_every_state=True)
    # Long detours (hostile, then a repair) get room to finish: the reply limit has a path of its own.
    roomy = _Walker(scenario.model_copy(update={"max_turns": 40}))
    for stage in (Stage.sharing, Stage.deepening, Stage.closing):
        roomy.path(hostile_at=stage)
    walker.found |= roomy.found
    walker.reveals += roomy.reveals
    # Hostile all the way: withdrawn, still withdrawn, ended.
    opening = open_session(scenario)
    state, history = opening.state, [Message(role=Role.partner, text=opening.text)]
    while state.status is SessionStatus.active:
        state = walker.reply(state, history, HOSTILE[len(history) % len(HOSTILE)])
    # Harmless but going nowhere until the replies run out: the partner wraps up warmly.
    opening = open_session(scenario)
    state, history = opening.state, [Message(role=Role.partner, text=opening.text)]
    if scenario.tuning.start_withdrawn:
        state = walker.reply(state, history, scenario.exemplars[Stage.withdrawn][0])
    while state.status is SessionStatus.active:
        state = walker.reply(state, history, "Was it yesterday?")
    return walker


def _reachable_reactions(scenario: Scenario) -> set[Reaction]:
    return _walk_everywhere(scenario).found


def test_the_turn_that_reveals_the_deeper_feeling_says_it(scenario: Scenario) -> None:
    """Whatever else the reply did (offered welcome ideas, asked permission), once the state says the
    deeper feeling was revealed, the partner's line on that turn is a reveal line."""
    reveal_lines = {" ".join(line.split()) for line in scenario.lines[Reaction.reveal]}
    walker = _walk_everywhere(scenario)
    assert walker.reveals, "no path revealed the deeper feeling"
    for reply, line in walker.reveals:
        assert line in reveal_lines, f"{reply!r} revealed the deeper feeling, but the partner said {line!r}"


def test_every_reaction_with_lines_is_reachable(scenario: Scenario) -> None:
    unreachable_by_design: set[Reaction] = set()
    if rules_for(scenario).replies_while_withdrawn == 1:
        unreachable_by_design.add(Reaction.still_withdrawn)  # the first reply without a repair ends it
    if scenario.advice.asks_at is None:
        unreachable_by_design.add(Reaction.advice_request)
    if scenario.advice.accepts_permission_from is None:
        unreachable_by_design.add(Reaction.permission_yes)
    if scenario.advice.asks_at is None and scenario.advice.accepts_permission_from is None:
        unreachable_by_design.add(Reaction.advice_welcome)
    missing = set(Reaction) - _reachable_reactions(scenario) - unreachable_by_design
    assert not missing, sorted(missing)


def test_every_line_variant_is_said_by_rotation(scenario: Scenario) -> None:
    """Given a reaction is reachable, the turn rotation reaches each of its lines."""
    from trainer.partner.voice import PartnerCue

    voice = ScriptedPartner()
    for reaction, lines in scenario.lines.items():
        said = {voice.line(scenario, PartnerCue(reaction=reaction, missed="m", point="p", turn_index=i), [])
                for i in range(len(lines))}
        assert len(said) == len(set(lines)), reaction
