"""The partner's seam: what the state machine tells the partner's voice, and the voice's protocol.

The state machine (``trainer.partner.transitions``) decides how the partner reacts (a ``PartnerCue``);
a ``PartnerVoice`` puts it in words. Offline the scripted partner reads the scenario's lines
(``trainer.partner.scripted_partner``); with a model configured the model partner speaks
(``trainer.partner.model_partner``) and falls back to the scripted one, marking the turn degraded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from trainer.content.scenario import Reaction, Scenario
from trainer.vocabulary.messages import Message
from trainer.vocabulary.seams import Usage


class PartnerCue(BaseModel):
    """What the state machine tells the voice to do this turn, and the facts it may use."""

    model_config = ConfigDict(extra="forbid")

    reaction: Reaction
    missed: str | None = None
    point: str | None = None
    reveal_deeper: bool = False
    turn_index: int = 0
    line: int | None = None
    """The scripted line to say (an index into the reaction's lines), chosen so none repeats."""


class PartnerVoice(Protocol):
    def speak(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> AsyncIterator[str]:
        """Stream the partner's line in pieces; fill ``usage`` in place as the call goes."""
        ...

    async def say(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> str:
        """The partner's whole line at once, for a turn nobody watches being spoken (cheaper)."""
        ...
