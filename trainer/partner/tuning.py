"""The numbers behind the partner's safety: defaults per difficulty, overridable per scenario.

Difficulty 1 is a forgiving partner (starts trusting, opens up readily, forgives twice); difficulty 3
is a guarded one (starts wary, opens up less for each good reply, feels every misstep more and gives
one chance to repair). A scenario's ``tuning`` overrides any of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from trainer.content.scenario import Scenario
from trainer.vocabulary.codes import Code

_Number = TypeVar("_Number", int, float)

BASE_DELTAS: dict[Code, int] = {
    Code.reflection: 8,
    Code.validation: 8,
    Code.feeling_check: 3,
    Code.empathy: 6,
    Code.open_question: 3,
    Code.closed_question: 0,
    Code.permission_ask: 4,
    Code.advice: -12,
    Code.invalidation: -25,
    Code.self_focus: -10,
    Code.defensiveness: -18,
    Code.repair: 10,
    Code.disengagement: -8,
}
"""Safety change per behaviour before the difficulty's penalty scale (losses only) is applied."""

LEADING_QUESTION_DELTA = -8
"""A closed question that pushes an answer ("don't you think...?") costs safety; a plain one does not."""

WHY: dict[Code, str] = {
    Code.reflection: "the reply put what {name} said into its own words",
    Code.validation: "the reply said {name}'s feelings make sense",
    Code.feeling_check: "the reply checked whether it had understood",
    Code.empathy: "the reply shared a caring reaction to what {name} is going through",
    Code.open_question: "the reply asked an open question that invites more",
    Code.permission_ask: "the reply asked whether {name} wants ideas or just to be heard",
    Code.advice: "the reply offered a fix {name} did not ask for",
    Code.invalidation: "the reply dismissed or corrected {name}'s feelings",
    Code.self_focus: "the reply turned the talk to the listener",
    Code.defensiveness: "the reply defended or explained instead of listening",
    Code.repair: "the reply owned not listening well and asked to try again",
    Code.disengagement: "the reply changed the subject or answered with a word, so {name} feels unheard",
}
"""Why safety moved, per behaviour ("Safety rose by 8 because ...")."""
UNHEARD_WHY = "the reply tried to say back what {name} said, though {name} did not hear their story in it"
"""Why a reflection the partner did not hear its story in gained only what a check gains."""


@dataclass(frozen=True)
class SafetyRules:
    start_safety: int
    withdraw_at: int
    reveal_min_safety: int
    gain_scale: float
    repair_recovery: int
    repairs_allowed: int
    replies_while_withdrawn: int
    understood_share: float
    penalty_scale: float
    deltas: dict[Code, int]

    def points_needed(self, total_points: int) -> int:
        """How many key points must be reflected before the partner feels understood."""
        needed = -(-total_points * round(self.understood_share * 100) // 100)  # ceiling, no float drift
        return max(1, min(total_points, needed))

    def delta(self, code: Code) -> int:
        """The safety change for ``code``: gains and losses each scaled by the difficulty."""
        base = self.deltas[code]
        return round(base * (self.penalty_scale if base < 0 else self.gain_scale))

    def leading_delta(self) -> int:
        return round(LEADING_QUESTION_DELTA * self.penalty_scale)


_DEFAULTS: dict[int, SafetyRules] = {
    1: SafetyRules(
        start_safety=70, withdraw_at=15, reveal_min_safety=50, gain_scale=1.25,
        repair_recovery=30, repairs_allowed=2, replies_while_withdrawn=2, understood_share=0.75,
        penalty_scale=0.75, deltas=BASE_DELTAS,
    ),
    2: SafetyRules(
        start_safety=55, withdraw_at=20, reveal_min_safety=60, gain_scale=1.0,
        repair_recovery=25, repairs_allowed=1, replies_while_withdrawn=2, understood_share=1.0,
        penalty_scale=1.0, deltas=BASE_DELTAS,
    ),
    3: SafetyRules(
        start_safety=40, withdraw_at=20, reveal_min_safety=65, gain_scale=0.75,
        repair_recovery=20, repairs_allowed=1, replies_while_withdrawn=1, understood_share=1.0,
        penalty_scale=1.3, deltas=BASE_DELTAS,
    ),
}


def defaults_for(difficulty: int) -> SafetyRules:
    return _DEFAULTS[difficulty]


def rules_for(scenario: Scenario) -> SafetyRules:
    """The difficulty's defaults with the scenario's ``tuning`` laid over them."""
    base = _DEFAULTS[scenario.difficulty]
    tuning = scenario.tuning

    def pick(value: _Number | None, default: _Number) -> _Number:
        return default if value is None else value

    return SafetyRules(
        start_safety=pick(tuning.start_safety, base.start_safety),
        withdraw_at=pick(tuning.withdraw_at, base.withdraw_at),
        reveal_min_safety=pick(tuning.reveal_min_safety, base.reveal_min_safety),
        gain_scale=pick(tuning.gain_scale, base.gain_scale),
        repair_recovery=pick(tuning.repair_recovery, base.repair_recovery),
        repairs_allowed=pick(tuning.repairs_allowed, base.repairs_allowed),
        replies_while_withdrawn=pick(tuning.replies_while_withdrawn, base.replies_while_withdrawn),
        understood_share=pick(tuning.understood_share, base.understood_share),
        penalty_scale=pick(tuning.penalty_scale, base.penalty_scale),
        deltas={**base.deltas, **tuning.deltas},
    )
