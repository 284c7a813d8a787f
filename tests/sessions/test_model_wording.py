"""A model partner's wording never moves the exercise: the state follows the reply and the state.

The same replies are taken once with the scripted partner and once with a partner whose every line
is worded its own way (asking for ideas, echoing the learner, saying it feels understood). The
states must match turn for turn: transitions code the reply against the scripted line."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from trainer.content.loader import load_scenario_file
from trainer.content.rubric import load_rubrics
from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.partner.hints import hint
from trainer.partner.voice import PartnerCue
from trainer.sessions.turn import open_session, take_turn
from trainer.settings import DATA_DIR
from trainer.vocabulary.messages import Message, Role
from trainer.vocabulary.seams import Usage

ROOT = Path(__file__).resolve().parents[2]
# Each line would steer a coder that re-read it: a request for ideas (advice becomes welcome), the
# learner's likely words (a reflection becomes parroting), a claim of feeling understood.
LINES = (
    "Honestly, what do you think I should do about it? Tell me what to do.",
    "It sounds like you feel pushed aside and lonely, and you want to come first sometimes.",
    "Yes, I feel completely understood now, thank you. What should I do?",
)


class WordyVoice:
    """A partner that says what it likes, like a model that ignores its directions."""

    def __init__(self) -> None:
        self.spoken = 0

    def _line(self) -> str:
        line = LINES[self.spoken % len(LINES)]
        self.spoken += 1
        return line

    async def speak(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> AsyncIterator[str]:
        yield self._line()

    async def say(self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage) -> str:
        return self._line()


@pytest.mark.parametrize("scenario_id", ["never-a-priority", "work-vent", "asks-for-advice"])
async def test_the_states_match_the_scripted_run_turn_for_turn(scenario_id: str) -> None:
    scenario = load_scenario_file(DATA_DIR / "scenarios" / f"{scenario_id}.yaml")
    offline = Engines.offline(load_rubrics(DATA_DIR / "rubrics.yaml"))
    wordy = replace(offline, voice=WordyVoice())
    opening = open_session(scenario)
    first = [Message(role=Role.partner, text=opening.text)]
    runs = {"scripted": (offline, opening.state, first), "wordy": (wordy, opening.state, first)}
    for _ in range(8):
        _, scripted_state, scripted_history = runs["scripted"]
        if scripted_state.status.value != "active":
            break
        reply = hint(scenario, scripted_state, scripted_history)
        for name, (engines, state, history) in list(runs.items()):
            result = await take_turn(engines, scenario, state, history, reply)
            said = Message(role=Role.partner, text=result.partner_text)
            history = [*history, Message(role=Role.learner, text=reply), said]
            runs[name] = (engines, result.state, history)
        assert runs["wordy"][1] == runs["scripted"][1]
    assert runs["wordy"][1].turns >= 3
