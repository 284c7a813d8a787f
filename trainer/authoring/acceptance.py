"""A scenario is accepted the way the built-in ones are tested: run whole conversations offline.

Two runs through the real coder, grader and scripted partner (``trainer.sessions.turn``): a learner
who follows the scenario's own hints must complete it (the partner feels understood, says the
deeper feeling, and the exercise closes) within ``max_turns``, and a hostile learner (advice,
dismissal, talking about themselves) must make the partner withdraw. Each failure names the stage
that could not be passed, so an author knows which part of the file to look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trainer.content.scenario import Scenario, Stage, mentions
from trainer.engines import Engines
from trainer.partner.hints import hint
from trainer.partner.state import PartnerState, SessionStatus
from trainer.sessions.turn import open_session, take_turn
from trainer.vocabulary.messages import Message, Role

ADVICE = "You should just talk to them about it and then try to move on."
INVALIDATION = "You're overreacting. It's really not a big deal."
SELF_FOCUS = "That reminds me of when my boss did the same thing to me, and honestly mine was worse."
HOSTILE = (ADVICE, INVALIDATION, SELF_FOCUS)


@dataclass
class _Talk:
    scenario: Scenario
    state: PartnerState
    history: list[Message] = field(default_factory=list)

    @classmethod
    def open(cls, scenario: Scenario) -> _Talk:
        opening = open_session(scenario)
        return cls(scenario, opening.state, [Message(role=Role.partner, text=opening.text)])

    async def say(self, engines: Engines, reply: str) -> None:
        result = await take_turn(engines, self.scenario, self.state, self.history, reply)
        self.history += [
            Message(role=Role.learner, text=reply),
            Message(role=Role.partner, text=result.partner_text),
        ]
        self.state = result.state


@dataclass(frozen=True)
class Problem:
    """A run that did not end as it should: which run, the stage it stuck at, and what to check."""

    run: str
    stage: Stage
    detail: str


async def follow_hints(engines: Engines, scenario: Scenario) -> Problem | None:
    """A learner who types every hint must complete the scenario; the stage it stuck at if not."""
    talk = _Talk.open(scenario)
    while talk.state.status is SessionStatus.active:
        await talk.say(engines, hint(scenario, talk.state, talk.history))
    state = talk.state
    if state.status is SessionStatus.completed and not state.turns_ran_out:
        return None
    stuck = state.stage
    return Problem(
        run="hints",
        stage=stuck,
        detail=(
            f"Following the scenario's own hints, stage {stuck.value!r} could not be passed "
            f"({state.turns} replies, safety {state.safety}, ended {state.status.value}): check the "
            "exemplars and cues of the key points and of the deeper feeling for that stage."
        ),
    )


async def hostile_learner(engines: Engines, scenario: Scenario) -> Problem | None:
    """Advice, dismissal and self-focus in turn must make the partner withdraw before the end."""
    talk = _Talk.open(scenario)
    index = 0
    while talk.state.status is SessionStatus.active and talk.state.stage is not Stage.withdrawn:
        await talk.say(engines, HOSTILE[index % len(HOSTILE)])
        index += 1
    state = talk.state
    if state.stage is Stage.withdrawn and not state.turns_ran_out:
        return None
    return Problem(
        run="hostile",
        stage=state.stage,
        detail=(
            f"A hostile learner never made the partner withdraw (still at stage {state.stage.value!r} "
            f"after {state.turns} replies, safety {state.safety}): check the tuning (start safety, "
            "how much hurt costs)."
        ),
    )


def deeper_reached(scenario: Scenario) -> Problem | None:
    """Some exemplar of the deepening stage must name the deeper feeling (one of its cues): else
    following the hints never shows that the feeling underneath was heard."""
    exemplars = scenario.exemplars.get(Stage.deepening, [])
    if any(mentions(text, cue) for text in exemplars for cue in scenario.deeper.cues):
        return None
    return Problem(
        run="hints",
        stage=Stage.deepening,
        detail=(
            "Stage 'deepening' could not be passed: no exemplar of that stage uses any of deeper.cues "
            f"({', '.join(scenario.deeper.cues)}), so the hints never reach the deeper feeling."
        ),
    )


async def acceptance_problems(engines: Engines, scenario: Scenario) -> list[Problem]:
    """The deeper feeling reachable, then both runs; an empty list means the scenario behaves like
    the built-in ones."""
    unreachable = deeper_reached(scenario)
    if unreachable is not None:
        return [unreachable]
    return [
        problem
        for problem in (await follow_hints(engines, scenario), await hostile_learner(engines, scenario))
        if problem is not None
    ]
