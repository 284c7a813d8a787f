"""The offline partner: says the scenario's scripted line for the reaction the rules chose.

The choice is deterministic but varied: the line rotates with the turn index, and the partner never
says the same line twice in a row (the last partner line in the history is skipped).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from trainer.content.scenario import Reaction, Scenario
from trainer.partner.voice import PartnerCue
from trainer.vocabulary.messages import Message, Role
from trainer.vocabulary.seams import Usage

ENGINE_NAME = "scripted"


def fill(template: str, cue: PartnerCue) -> str:
    """Put the cue's facts into a line; ``str.format`` is avoided so stray braces cannot break it."""
    text = template.replace("{missed}", cue.missed or "").replace("{point}", cue.point or "")
    return " ".join(text.split())


def last_partner_line(history: Sequence[Message]) -> str | None:
    for message in reversed(history):
        if message.role is Role.partner:
            return message.text
    return None


class ScriptedPartner:
    """``PartnerVoice`` over the scenario's lines; no model, no network, no state."""

    def line(self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message]) -> str:
        """The line for ``cue``: rotated by turn, never a repeat of the partner's previous line."""
        templates = scenario.lines[cue.reaction]
        if cue.line is not None and 0 <= cue.line < len(templates):
            return fill(templates[cue.line], cue)
        previous = last_partner_line(history)
        count = len(templates)
        for offset in range(count):
            text = fill(templates[(cue.turn_index + offset) % count], cue)
            if text != previous:
                return text
        return fill(templates[cue.turn_index % count], cue)  # a single line: repeating is all it can do

    async def speak(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> AsyncIterator[str]:
        usage.engine = ENGINE_NAME
        words = self.line(scenario, cue, history).split(" ")
        for index, word in enumerate(words):
            yield word if index == len(words) - 1 else word + " "
            await asyncio.sleep(0)  # let the judge run between words


    async def say(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> str:
        usage.engine = ENGINE_NAME
        return self.line(scenario, cue, history)


def opening_line(scenario: Scenario, variant: int = 0) -> str:
    """The partner's first line; ``variant`` picks among the scenario's openings."""
    openings = scenario.lines[Reaction.opening]
    return " ".join(openings[variant % len(openings)].split())
