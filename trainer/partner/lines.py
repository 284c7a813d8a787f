"""Which scripted line the partner says: never the same line twice in one session.

The state remembers every line said so far as a key, ``"<reaction>:<index>"`` and, for a line that
carries a fact (``{missed}``, ``{point}``), ``"<reaction>:<index>:<fact>"``: the same template with
another fact is another line. A reaction's lines rotate with the turn, skipping used ones. When
every line of a reaction is used (a long session), a template whose key with this fact is new is
taken; only a reaction with no new line left at all says a line again.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from trainer.content.scenario import Reaction, Scenario

_WITH_FACT = frozenset(
    {Reaction.partial, Reaction.elaborate, Reaction.short_answer, Reaction.answer_no, Reaction.restate}
)


@dataclass(frozen=True, slots=True)
class Chosen:
    index: int
    key: str


def line_key(reaction: Reaction, index: int, fact: str | None = None) -> str:
    base = f"{reaction.value}:{index}"
    return f"{base}:{fact}" if fact and reaction in _WITH_FACT else base


def times_said(used: Collection[str], reaction: Reaction, fact: str) -> int:
    """How many of the lines said (``used``) were lines of ``reaction`` carrying ``fact``."""
    return sum(1 for key in used if key.split(":", 2)[::2] == [reaction.value, fact])


def choose_line(
    scenario: Scenario, reaction: Reaction, turn: int, used: Collection[str], fact: str | None = None
) -> Chosen:
    """The first line of ``reaction`` not said yet, rotating from ``turn``."""
    count = len(scenario.lines[reaction])
    order = [(turn + offset) % count for offset in range(count)]
    spent = {key.split(":", 2)[1] for key in used if key.startswith(f"{reaction.value}:")}
    for index in order:
        if str(index) not in spent:
            return Chosen(index, line_key(reaction, index, fact))
    for index in order:
        key = line_key(reaction, index, fact)
        if key not in used:
            return Chosen(index, key)
    return Chosen(order[0], line_key(reaction, order[0], fact))
