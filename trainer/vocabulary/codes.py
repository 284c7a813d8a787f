"""The fixed behaviour vocabulary (docs/design.md) and what a coder returns."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Code(StrEnum):
    reflection = "reflection"
    feeling_check = "feeling_check"
    validation = "validation"
    empathy = "empathy"
    open_question = "open_question"
    closed_question = "closed_question"
    permission_ask = "permission_ask"
    advice = "advice"
    invalidation = "invalidation"
    self_focus = "self_focus"
    defensiveness = "defensiveness"
    repair = "repair"
    disengagement = "disengagement"


HELPFUL: frozenset[Code] = frozenset(
    {Code.reflection, Code.feeling_check, Code.validation, Code.empathy, Code.open_question,
     Code.permission_ask, Code.repair}
)
HARMFUL: frozenset[Code] = frozenset(
    {Code.advice, Code.invalidation, Code.self_focus, Code.defensiveness, Code.disengagement}
)


class Behaviour(BaseModel):
    """One behaviour found in a reply, with the exact words of the reply that show it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Code
    evidence: str = Field(description="A span copied from the reply")


class Coding(BaseModel):
    """Everything a coder says about one reply.

    ``feeling_named`` and ``key_points`` feed the rubric scores: a reflection that names the
    partner's feeling scores higher, and covering the scenario's key points raises it further.
    ``self_share`` is the share of the reply's sentences about the listener (0..1).
    ``flags`` carries guard findings such as ``addresses_grader`` or ``other_language``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    behaviours: tuple[Behaviour, ...] = ()
    feeling_named: bool = False
    parroting: bool = False
    key_points: tuple[str, ...] = ()
    self_share: float = 0.0
    flags: tuple[str, ...] = ()

    @property
    def codes(self) -> frozenset[Code]:
        return frozenset(b.code for b in self.behaviours)

    def has(self, code: Code) -> bool:
        return any(b.code == code for b in self.behaviours)
