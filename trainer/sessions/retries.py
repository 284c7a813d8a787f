"""How a retried reply compares with the first try at the same moment of the conversation.

After a rewind, the learner answers the same partner line again: the turn at the same ``position``
in a later attempt. Each retry is set against the FIRST try at that position, rubric by rubric,
over the rubrics scored on both (a rubric that did not apply to one of them is left out). Pure
functions over stored turns, like ``trainer.sessions.reports``.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from trainer.store.tables import Turn
from trainer.vocabulary.grades import RubricName


class RubricChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first: int = Field(description="The first try's score, 0..3")
    retry: int = Field(description="The retry's score, 0..3")
    change: int = Field(description="retry - first")


class RetryComparison(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: int = Field(description="The moment of the conversation both replies answered (0: the first)")
    first_index: int = Field(description="The first try's turn index")
    retry_index: int = Field(description="The retry's turn index")
    retry_attempt: int
    rubrics: dict[RubricName, RubricChange] = Field(description="The rubrics scored on both replies")
    better: list[RubricName]
    worse: list[RubricName]
    summary: str


def _position(turn: Turn) -> int:
    return turn.index if turn.position is None else turn.position


def _score(turn: Turn, rubric: RubricName) -> int | None:
    scored = turn.rubrics.get(rubric.value)
    return int(scored["score"]) if isinstance(scored, dict) and "score" in scored else None


def _summary(better: list[RubricName], worse: list[RubricName]) -> str:
    def words(names: list[RubricName]) -> str:
        return ", ".join(name.value.replace("_", " ") for name in names)

    if not better and not worse:
        return "The retry scored the same as the first try."
    parts = []
    if better:
        parts.append(f"better on {words(better)}")
    if worse:
        parts.append(f"lower on {words(worse)}")
    return "The retry did " + " and ".join(parts) + " than the first try."


def compare(first: Turn, retry: Turn) -> RetryComparison:
    changes: dict[RubricName, RubricChange] = {}
    for name in RubricName:
        before, after = _score(first, name), _score(retry, name)
        if before is not None and after is not None:
            changes[name] = RubricChange(first=before, retry=after, change=after - before)
    better = [name for name, c in changes.items() if c.change > 0]
    worse = [name for name, c in changes.items() if c.change < 0]
    return RetryComparison(
        position=_position(retry),
        first_index=first.index,
        retry_index=retry.index,
        retry_attempt=retry.attempt,
        rubrics=changes,
        better=better,
        worse=worse,
        summary=_summary(better, worse),
    )


def retry_comparisons(turns: Sequence[Turn]) -> list[RetryComparison]:
    """One comparison per retry (a turn of a later attempt at a position tried before), in order."""
    first_at: dict[int, Turn] = {}
    comparisons: list[RetryComparison] = []
    for turn in sorted(turns, key=lambda t: t.index):
        if turn.screen is not None:  # the safety screen paused on it: no grade to compare
            continue
        position = _position(turn)
        first = first_at.get(position)
        if first is None:
            first_at[position] = turn
        elif turn.attempt > first.attempt:
            comparisons.append(compare(first, turn))
    return comparisons
