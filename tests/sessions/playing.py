"""Taking offline turns in tests the way a session does: each reply, then the partner's answer."""

from __future__ import annotations

import asyncio

from trainer.content.rubric import load_rubrics
from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.partner.state import PartnerState
from trainer.sessions.turn import TurnResult, open_session, take_turn
from trainer.settings import DATA_DIR
from trainer.vocabulary.messages import Message, Role


def answered(
    engines: Engines, scenario: Scenario, state: PartnerState, history: list[Message], reply: str
) -> TurnResult:
    """One turn; ``history`` gains the reply and the partner's answer to it."""
    result = asyncio.run(take_turn(engines, scenario, state, history, reply))
    history += [Message(role=Role.learner, text=reply), Message(role=Role.partner, text=result.partner_text)]
    return result


def practise(scenario: Scenario, replies: tuple[str, ...]) -> list[TurnResult]:
    """A session from the scenario's opening, offline, one turn per reply."""
    engines = Engines.offline(load_rubrics(DATA_DIR / "rubrics.yaml"))
    opening = open_session(scenario)
    state, history = opening.state, [Message(role=Role.partner, text=opening.text)]
    results = []
    for reply in replies:
        result = answered(engines, scenario, state, history, reply)
        results.append(result)
        state = result.state
    return results
