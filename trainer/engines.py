"""The two seams where a language model can take over from the offline engines.

A turn (``trainer.practice``) first codes the reply with the rules coder and moves the partner's
state; then a ``Judge`` grades the reply while a ``PartnerVoice`` says the partner's line, at the same
time. Offline, the judge passes the rules grade through and the voice reads the scenario's scripted
lines; with a model configured, model-backed implementations (``trainer.coding.judge``,
``trainer.partner.model``) fall back to those offline ones and mark the turn degraded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from trainer.content.scenario import Reaction, Scenario
from trainer.grading.model import Grade, GradeContext
from trainer.messages import Message


class Usage(BaseModel):
    """How one engine call was made: for storage, cost accounting and re-grading later."""

    model_config = ConfigDict(extra="forbid")

    engine: str = "rules"
    model: str | None = None
    prompt_hash: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    degraded: bool = False
    error: str | None = None


class Judged(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grade: Grade
    usage: Usage


class Judge(Protocol):
    async def judge(self, reply: str, context: GradeContext, rules_grade: Grade) -> Judged:
        """Grade ``reply``; ``rules_grade`` is the offline grade, the fallback and the guard's cap."""
        ...


class PartnerCue(BaseModel):
    """What the state machine tells the voice to do this turn, and the facts it may use."""

    model_config = ConfigDict(extra="forbid")

    reaction: Reaction
    missed: str | None = None
    point: str | None = None
    reveal_deeper: bool = False
    turn_index: int = 0


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
