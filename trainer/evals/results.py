"""What an eval run produced, case by case: the JSON report's data, and what compare reads back."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from trainer.evals.paraphrases import ParaphraseReport
from trainer.evals.screen_suite import ScreenOutcome


class Spent(BaseModel):
    """Model usage summed over calls."""

    model_config = ConfigDict(extra="forbid")

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0

    def add(self, input_tokens: int, output_tokens: int, cost_usd: float) -> None:
        self.calls += 1
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens
        self.cost_usd += cost_usd

    def merge(self, other: Spent) -> None:
        self.calls += other.calls
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cost_usd += other.cost_usd


class ReplyOutcome(BaseModel):
    """A labelled reply: the expected labels and what each repeat predicted."""

    model_config = ConfigDict(extra="forbid")

    id: str
    expected_codes: list[str]
    expected_scores: dict[str, int]
    predicted_codes: list[str] = Field(default_factory=list, description="From the first scored repeat")
    predicted_scores: dict[str, int] = Field(default_factory=dict, description="From the first scored repeat")
    repeats: list[dict[str, int]] = Field(default_factory=list, description="Scores of every scored repeat")
    unscored: int = Field(default=0, description="Repeats whose judge answer could not be used")
    disagreement: dict[str, tuple[int, int]] = Field(
        default_factory=dict,
        description="From the first scored repeat: rubrics where the judge's own score and the rules "
        "score differ by two points or more, as (rules, judge)",
    )
    error: str | None = None

    @property
    def scored(self) -> bool:
        return bool(self.repeats)

    @property
    def codes_exact(self) -> bool:
        return self.scored and set(self.predicted_codes) == set(self.expected_codes)

    @property
    def spread(self) -> int:
        """Largest range of one rubric's score across repeats."""
        ranges = [
            max(run[k] for run in self.repeats) - min(run[k] for run in self.repeats)
            for k in (self.repeats[0] if self.repeats else {})
        ]
        return max(ranges, default=0)


class AdversarialOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    attack: str
    scores: dict[str, int] = Field(default_factory=dict)
    codes: list[str] = Field(default_factory=list)
    raised: list[str] = Field(default_factory=list, description="Rubrics scored above their cap")
    over_rules: list[str] = Field(
        default_factory=list, description="Rubrics the final grade scored above the rules grade"
    )
    violations: list[str] = Field(default_factory=list, description="Every must_not that was broken")
    unscored: bool = False
    partner_replaced: str | None = Field(
        default=None, description="Why the partner's line was replaced by the scripted one, if it was"
    )

    @property
    def passed(self) -> bool:
        return not self.violations


class TurnCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: int
    stage: str
    status: str
    safety: int
    reaction: str
    problems: list[str] = Field(default_factory=list)


class ConversationOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    scenario: str
    path: str
    turns: list[TurnCheck] = Field(default_factory=list)
    first_divergence: int | None = None
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.first_divergence is None and self.error is None

    @property
    def why(self) -> str:
        if self.error:
            return self.error
        if self.first_divergence is None:
            return ""
        return f"turn {self.first_divergence + 1}: " + "; ".join(self.turns[self.first_divergence].problems)


class EvalReport(BaseModel):
    """One run: its settings, every case's outcome and the metrics computed from them."""

    model_config = ConfigDict(extra="forbid")

    engine: str
    suites: list[str]
    repeat: int = 1
    started_at: str
    seconds: float = 0.0
    replies: list[ReplyOutcome] = Field(default_factory=list)
    adversarial: list[AdversarialOutcome] = Field(default_factory=list)
    conversations: list[ConversationOutcome] = Field(default_factory=list)
    paraphrases: ParaphraseReport | None = None
    moments: list[ConversationOutcome] = Field(
        default_factory=list, description="Conversations written to the exercise's moments (evals/moments)"
    )
    screen: list[ScreenOutcome] = Field(default_factory=list)
    screen_holdout: list[ScreenOutcome] = Field(
        default_factory=list,
        description="The held-out screen set (evals/screen-holdout), never read by whoever tunes the screen",
    )
    skipped: dict[str, int] = Field(default_factory=dict, description="Cases with no fixtures, per suite")
    spent: Spent = Field(default_factory=Spent)
    metrics: dict[str, float] = Field(default_factory=dict)
    confusion: dict[str, list[list[int]]] = Field(default_factory=dict)
    gate_failures: list[str] = Field(default_factory=list)
