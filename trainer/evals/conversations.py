"""Scripted conversations: learner replies for a scenario and the partner's state after each one.

Files live in ``evals/conversations/<scenario-id>.yaml``, one per scenario in ``scenarios/``, each
``{scenario, conversations: [Conversation...]}``. Every file holds at least the three paths of the
exercise: ``good`` (follows the scenario's hints to the end), ``hostile`` (fixes, dismisses and talks
over the partner until they withdraw) and ``repair`` (a withdrawal, then a repair that brings the
partner back). A load error is a :class:`~trainer.vocabulary.errors.ContentError` naming the file and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from trainer.content.scenario import Reaction, Scenario, Stage
from trainer.evals.cases import Slug, load_scenario_files
from trainer.partner.state import SessionStatus
from trainer.vocabulary.errors import ContentError

Safety = Annotated[int, Field(ge=0, le=100)]


class ConversationPath(StrEnum):
    good = "good"
    hostile = "hostile"
    repair = "repair"
    other = "other"


REQUIRED_PATHS: frozenset[ConversationPath] = frozenset(
    {ConversationPath.good, ConversationPath.hostile, ConversationPath.repair}
)


class Expectation(BaseModel):
    """The partner after one reply: stage and status exactly, safety within bounds.

    ``says`` and ``tip_says`` are checked on the offline engines only: a model says it its own way.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: Stage
    status: SessionStatus = SessionStatus.active
    safety: tuple[Safety, Safety] = (0, 100)
    reaction: Reaction | None = None
    says: tuple[str, ...] = Field(default=(), description="Words the partner's line holds (any case)")
    tip_says: tuple[str, ...] = Field(default=(), description="Words the turn's tip holds (any case)")
    notice_says: tuple[str, ...] = Field(default=(), description="Words the turn's notice holds (any case)")

    @model_validator(mode="after")
    def _bounds_in_order(self) -> Self:
        low, high = self.safety
        if low > high:
            raise ValueError(f"safety bounds [{low}, {high}] are reversed")
        if self.status is SessionStatus.withdrawn and self.stage is not Stage.withdrawn:
            raise ValueError("a withdrawn session is at stage withdrawn")
        if self.status is SessionStatus.completed and self.stage is Stage.withdrawn:
            raise ValueError("a completed session is not withdrawn (done, or where the replies ran out)")
        return self


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reply: str = Field(min_length=1)
    expect: Expectation


class Conversation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    path: ConversationPath
    note: str = ""
    turns: tuple[Turn, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ends_where_it_stops(self) -> Self:
        for index, turn in enumerate(self.turns[:-1]):
            if turn.expect.status is not SessionStatus.active:
                raise ValueError(f"turns[{index}] ends the session, but more turns follow")
        return self


class ConversationFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: Slug
    conversations: tuple[Conversation, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _three_paths(self) -> Self:
        missing = REQUIRED_PATHS - {c.path for c in self.conversations}
        if missing:
            raise ValueError(f"conversations: missing the {', '.join(sorted(missing))} path")
        return self


class ScenarioConversation(BaseModel):
    """A conversation with the scenario it runs in (the runner's unit of work)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: str
    conversation: Conversation

    @property
    def id(self) -> str:
        return self.conversation.id


def load_conversations(folder: Path, scenarios: Mapping[str, Scenario]) -> list[ScenarioConversation]:
    """Every conversation in ``folder``; each scenario must have a file and each file a scenario."""
    found = [
        ScenarioConversation(scenario=scenario, conversation=conversation)
        for scenario, conversation in load_scenario_files(folder, ConversationFile, scenarios)
    ]
    uncovered = sorted(set(scenarios) - {item.scenario for item in found})
    if uncovered:
        raise ContentError(str(folder), f"no conversations for scenario(s) {', '.join(uncovered)}")
    return found
