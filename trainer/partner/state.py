"""What the partner remembers between turns: stage, safety, what has been heard, what was asked.

The state is a plain pydantic model that round-trips through JSON, so a session can be stored after
every turn and the next turn can run in any worker (nothing about a session is kept in memory).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from trainer.content.scenario import Reaction, Scenario, Stage
from trainer.partner.hearing import heard_points
from trainer.partner.lines import line_key
from trainer.partner.tuning import rules_for


class SessionStatus(StrEnum):
    active = "active"
    completed = "completed"
    withdrawn = "withdrawn"
    paused = "paused"  # the safety screen stopped the role-play; POST .../resume carries on


STAGE_ORDER: tuple[Stage, ...] = (
    Stage.sharing,
    Stage.clarifying,
    Stage.understood,
    Stage.deepening,
    Stage.closing,
    Stage.done,
)
"""The stages of the exercise in order; ``withdrawn`` stands outside this line."""


def reached(stage: Stage, target: Stage) -> bool:
    """Whether ``stage`` is ``target`` or later in the exercise (a withdrawn partner has reached nothing)."""
    if stage not in STAGE_ORDER or target not in STAGE_ORDER:
        return False
    return STAGE_ORDER.index(stage) >= STAGE_ORDER.index(target)


class PartnerState(BaseModel):
    """The partner's side of a session after some number of replies."""

    model_config = ConfigDict(extra="forbid")

    stage: Stage = Stage.sharing
    status: SessionStatus = SessionStatus.active
    safety: int = Field(ge=0, le=100)
    reflected: list[str] = Field(default_factory=list, description="Key point ids the learner has reflected")
    shared: list[str] = Field(
        default_factory=list, description="Key point ids the partner has said more about when asked"
    )
    told: list[str] | None = Field(
        default=None,
        description="Key point ids the partner has said so far (opening, shares, restatements); a"
        " reflection is only told it missed one of these. None in sessions stored before it was kept:"
        " every point counts as told",
    )
    lines: list[str] = Field(
        default_factory=list,
        description="The scripted lines said so far (trainer.partner.lines keys): none is said twice",
    )
    revealed: bool = False
    deeper_heard: bool = False
    advice_requested: bool = False
    permission_granted: bool = False
    turns: int = Field(default=0, ge=0, description="Replies taken so far")
    repairs: int = Field(default=0, ge=0, description="Withdrawals repaired so far")
    withdrawn_replies: int = Field(default=0, ge=0, description="Replies since the partner withdrew")
    unrepaired_hurt: bool = Field(
        default=False, description="A reply hurt the partner and no repair has acknowledged it yet"
    )
    turns_ran_out: bool = False
    replies_left: int | None = Field(
        default=None, ge=0, description="Replies the learner may still send (None before the first)"
    )
    last_reaction: Reaction | None = None
    last_scripted: str | None = Field(
        default=None,
        description="The scripted partner's line for the last reaction: the next reply is coded against "
        "it for the state's sake, whatever words a model partner chose",
    )

    @property
    def moment(self) -> Stage:
        """The moment of the exercise the next reply answers: the close once the feeling underneath
        was heard as it came out (the partner is still at deepening after saying it), else the stage."""
        return Stage.closing if self.stage is Stage.deepening and self.deeper_heard else self.stage


def initial_state(scenario: Scenario, variant: int = 0) -> PartnerState:
    """The partner before the first reply: sharing, at the scenario's starting safety.

    ``variant`` is the opening line said (``trainer.partner.scripted.opening_line``): the points it
    tells are the ones a reflection can already be told it missed.
    """
    openings = scenario.lines[Reaction.opening]
    index = variant % len(openings)
    state = PartnerState(
        safety=rules_for(scenario).start_safety,
        last_reaction=Reaction.opening,
        told=list(heard_points(scenario, openings[index], by_partner=True)),
        lines=[line_key(Reaction.opening, index)],
    )
    if scenario.tuning.start_withdrawn:
        state.stage = Stage.withdrawn
        state.unrepaired_hurt = True
    return state
