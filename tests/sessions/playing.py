"""Taking offline turns in tests the way a session does: each reply, then the partner's answer."""

from __future__ import annotations

import asyncio

from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.partner.state import PartnerState
from trainer.sessions.turn import TurnResult, take_turn
from trainer.vocabulary.messages import Message, Role


def answered(
    engines: Engines, scenario: Scenario, state: PartnerState, history: list[Message], reply: str
) -> TurnResult:
    """One turn; ``history`` gains the reply and the partner's answer to it."""
    result = asyncio.run(take_turn(engines, scenario, state, history, reply))
    history += [Message(role=Role.learner, text=reply), Message(role=Role.partner, text=result.partner_text)]
    return result
