"""What the stored turns say: a session's report and a learner's progress across sessions.

Pure functions over stored turns (``trainer.store.tables.Turn``): no database, no engines. Trends
compare halves rather than fitting a line, so that one odd reply cannot flip the verdict and the
rule can be said in one sentence: the later half against the earlier half.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from statistics import fmean

from pydantic import BaseModel, ConfigDict, Field

from trainer.content.rubric import RubricSet
from trainer.grading.wording import FEEDBACK
from trainer.partner.state import SessionStatus
from trainer.sessions.retries import RetryComparison, retry_comparisons
from trainer.store.tables import PracticeSession, Turn
from trainer.vocabulary.grades import RubricName
from trainer.vocabulary.times import UtcDatetime

# A change in mean score (0..3) smaller than this is "steady".
TURN_TREND_MARGIN = 0.5
SESSION_TREND_MARGIN = 0.25
WENT_WELL_MEAN = 2.0
REPORT = FEEDBACK.report  # the report's sentences, from feedback.yaml


class Trend(StrEnum):
    improving = "improving"
    steady = "steady"
    declining = "declining"
    not_enough_data = "not_enough_data"


def trend_of(values: Sequence[float], margin: float) -> tuple[Trend, float | None, float | None]:
    """The trend of ``values`` in order: the later half's mean against the earlier half's."""
    if len(values) < 2:
        return Trend.not_enough_data, None, None
    split = len(values) - max(1, len(values) // 2)
    earlier, recent = fmean(values[:split]), fmean(values[split:])
    change = recent - earlier
    trend = Trend.improving if change >= margin else Trend.declining if change <= -margin else Trend.steady
    return trend, round(earlier, 2), round(recent, 2)


def scores_of(turns: Sequence[Turn], rubric: RubricName) -> list[int]:
    return [int(turn.rubrics[rubric.value]["score"]) for turn in turns if rubric.value in turn.rubrics]


class RubricSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mean: float | None = Field(description="Mean score 0..3 over the turns; null before the first turn")
    first: int | None
    last: int | None
    trend: Trend = Field(description="The later half of the turns against the earlier half")
    scores: list[int] = Field(description="The score of every turn, in order")


class PractiseNext(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rubric: RubricName
    mean: float
    advice: str


class SessionReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str
    scenario_id: str
    status: SessionStatus
    turn_count: int
    rubrics: dict[RubricName, RubricSummary]
    went_well: list[str]
    practise_next: PractiseNext | None = Field(description="The weakest rubric; null before the first turn")
    retries: list[RetryComparison] = Field(
        default_factory=list, description="Each retried reply against the first try at that moment"
    )


def _title(rubrics: RubricSet, name: RubricName) -> str:
    rubric = rubrics.by_name.get(name)
    return rubric.title if rubric is not None else name.value.replace("_", " ").capitalize()


def _advice(rubrics: RubricSet, name: RubricName) -> str:
    rubric = rubrics.by_name.get(name)
    if rubric is None:
        return REPORT.practise_next_unknown.format(rubric=name.value.replace("_", " "))
    return REPORT.practise_next.format(rubric=rubric.title, anchor=rubric.anchor(3))


def _priority(rubrics: RubricSet) -> list[RubricName]:
    ordered = list(rubrics.tip_priority)
    return ordered + [name for name in RubricName if name not in ordered]


def session_report(session: PracticeSession, turns: Sequence[Turn], rubrics: RubricSet) -> SessionReport:
    summaries: dict[RubricName, RubricSummary] = {}
    for name in RubricName:
        scores = scores_of(turns, name)
        summaries[name] = RubricSummary(
            mean=round(fmean(scores), 2) if scores else None,
            first=scores[0] if scores else None,
            last=scores[-1] if scores else None,
            trend=trend_of(scores, TURN_TREND_MARGIN)[0],
            scores=scores,
        )
    went_well = [
        REPORT.went_well.format(rubric=_title(rubrics, name), mean=summary.mean)
        + (REPORT.ending_on.format(last=summary.last) if summary.last is not None else "")
        for name, summary in sorted(summaries.items(), key=lambda item: -(item[1].mean or 0.0))
        if summary.mean is not None and summary.mean >= WENT_WELL_MEAN
    ]
    if session.status == SessionStatus.completed:
        went_well.insert(0, REPORT.completed)
    scored = [(summaries[name].mean, name) for name in _priority(rubrics) if summaries[name].mean is not None]
    practise_next = None
    if scored:
        lowest = min(mean for mean, _ in scored if mean is not None)
        weakest = next(name for mean, name in scored if mean == lowest)
        practise_next = PractiseNext(rubric=weakest, mean=lowest, advice=_advice(rubrics, weakest))
    return SessionReport(
        session_id=session.id,
        scenario_id=session.scenario_id,
        status=SessionStatus(session.status),
        turn_count=len(turns),
        rubrics=summaries,
        went_well=went_well,
        practise_next=practise_next,
        retries=retry_comparisons(turns),
    )


class SessionAverages(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str
    scenario_id: str
    status: SessionStatus
    created_at: UtcDatetime
    turn_count: int
    averages: dict[RubricName, float] = Field(description="Mean score per rubric; empty before any turn")


class RubricPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: str
    created_at: UtcDatetime
    mean: float


class RubricProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points: list[RubricPoint] = Field(description="The session averages over time, oldest first")
    earlier_mean: float | None
    recent_mean: float | None
    trend: Trend = Field(description="Recent sessions' averages against earlier sessions'")


class LearnerProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    learner_id: str
    session_count: int
    sessions: list[SessionAverages]
    rubrics: dict[RubricName, RubricProgress]
    improving: list[RubricName] = Field(description="The skills whose recent averages beat the earlier ones")


def learner_progress(
    learner_id: str, sessions: Sequence[PracticeSession], turns: dict[str, list[Turn]]
) -> LearnerProgress:
    """``sessions`` oldest first; sessions without a turn count but carry no averages."""
    averages: list[SessionAverages] = []
    for session in sessions:
        session_turns = turns.get(session.id, [])
        means = {name: round(fmean(s), 2) for name in RubricName if (s := scores_of(session_turns, name))}
        averages.append(
            SessionAverages(
                session_id=session.id,
                scenario_id=session.scenario_id,
                status=SessionStatus(session.status),
                created_at=session.created_at,
                turn_count=len(session_turns),
                averages=means,
            )
        )
    progress: dict[RubricName, RubricProgress] = {}
    for name in RubricName:
        points = [
            RubricPoint(session_id=s.session_id, created_at=s.created_at, mean=s.averages[name])
            for s in averages
            if name in s.averages
        ]
        trend, earlier, recent = trend_of([p.mean for p in points], SESSION_TREND_MARGIN)
        progress[name] = RubricProgress(points=points, earlier_mean=earlier, recent_mean=recent, trend=trend)
    return LearnerProgress(
        learner_id=learner_id,
        session_count=len(sessions),
        sessions=averages,
        rubrics=progress,
        improving=[name for name, p in progress.items() if p.trend is Trend.improving],
    )
