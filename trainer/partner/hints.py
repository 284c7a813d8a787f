"""Hints: an exemplar next reply for where the conversation stands.

The exemplar comes from the scenario's ``exemplars`` for the partner's stage (a withdrawn partner
gets a repair; a finished one the closing reply). While key points are still missing, exemplars
that reflect a missing point come first. Hints rotate with the conversation's length and with
``attempt``, so asking twice, or on a later turn at the same stage, gives a different reply.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainer.content.scenario import Scenario, Stage
from trainer.partner.hearing import heard_points
from trainer.partner.state import PartnerState
from trainer.vocabulary.messages import Message, Role


def hint(scenario: Scenario, state: PartnerState, history: Sequence[Message], attempt: int = 0) -> str:
    """An exemplar reply for the partner's current stage; ``attempt`` asks for another one."""
    stage = Stage.closing if state.stage is Stage.done else state.moment
    exemplars = scenario.exemplars[stage]
    if stage in (Stage.sharing, Stage.clarifying):
        missing = [kp for kp in scenario.key_points if kp.id not in state.reflected]
        ids = [kp.id for kp in missing]
        scored = [(len(heard_points(scenario, text, among=ids)), text) for text in exemplars]
        useful = sorted((item for item in scored if item[0] > 0), key=lambda item: -item[0])
        if useful:
            # Only exemplars that reflect something still missing, the most useful first.
            exemplars = [text for _, text in useful]
    replies = sum(1 for message in history if message.role is Role.learner)
    return " ".join(exemplars[(replies + attempt) % len(exemplars)].split())
