"""What the stored turns say: a session's report and a learner's progress across sessions.

Pure functions over stored turns (``trainer.store.tables.Turn``): no database, no engines. What a
report says is decided by ``trainer.sessions.feedback`` (the same as the terminal's report): each
rubric over the turns where the moment called for it, what went well, what hurt, the repairs.
Trends compare halves rather than fitting a line, so one odd reply cannot flip the verdict, and
scores that swing both ways are ``uneven``, never ``steady``.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from pydantic import BaseModel, ConfigDict, Field

from trainer.content.rubric import RubricSet
from trainer.grading.wording import FEEDBACK
from trainer.partner.state import SessionStatus
from trainer.sessions.feedback import Trend, TurnView, feedback, stored_view
from trainer.sessions.feedback import trend_of as feedback_trend
from trainer.sessions.retries import RetryComparison, retry_comparisons
from trainer.store.tables import PracticeSession, Turn
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import RubricName
from trainer.vocabulary.times import UtcDatetime

# A change in mean score (0..3) smaller than this is "steady"; a swing this big both ways is "uneven".
SESSION_TREND_MARGIN = 0.25
SESSION_SWING = 1.0
REPORT = FEEDBACK.report  # the report's sentences, from feedback.yaml


def trend_of(values: Sequence[float], margin: float) -> tuple[Trend, float | None, float | None]:
    """A learner's trend across sessions: two sessions are enough, and big swings are ``uneven``."""
    return feedback_trend(values, margin, SESSION_SWING, min_points=2)


def scores_of(turns: Sequence[Turn], rubric: RubricName) -> list[int]:
    """The scores of ``rubric`` in the turns where the moment called for it (older turns: all)."""
    return [
        int(score["score"]) for turn in turns
        if (score := turn.rubrics.get(rubric.value)) is not None and score.get("applicable", True)
    ]


def views_of(turns: Sequence[Turn]) -> list[TurnView]:
    """The graded turns as the feedback reads them; a reply the safety screen paused on was never
    graded, so it is no part of the feedback (and is never quoted in it)."""
    return [stored_view(turn.reply, turn.behaviours, turn.rubrics) for turn in turns if turn.screen is None]


class RubricSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mean: float | None = Field(
        description=(
            "Mean score 0..3 over the turns where the moment called for the rubric; null when none did"
        )
    )
    count: int = Field(default=0, description="How many turns the moment called for the rubric")
    first: int | None
    last: int | None
    trend: Trend = Field(
        description=(
            "With at least three applicable turns: the later half against the earlier half, or uneven "
            "when the scores swing up and down by two points or more"
        )
    )
    scores: list[int] = Field(description="The score of every turn where the rubric applied, in order")


class NamedBehaviour(BaseModel):
    """Something that hurt, how often, and one example in the learner's words."""

    model_config = ConfigDict(extra="forbid")

    code: Code
    label: str
    count: int
    example: str


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
    went_well: list[str] = Field(
        description="Only what the learner did: rubrics earned with their own words, repairs"
    )
    hurts: list[NamedBehaviour] = Field(
        default_factory=list,
        description="Dismissals, defences, unasked fixes, self-focus, disengagement: one example each",
    )
    repairs: list[str] = Field(
        default_factory=list, description="Replies that owned a miss and asked to try again"
    )
    practise_next: PractiseNext | None = Field(
        description="What hurt most, else the weakest rubric still to learn; null when there is none"
    )
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
    titles = {name: _title(rubrics, name) for name in RubricName}
    summary = feedback(views_of(turns), titles, _priority(rubrics))
    summaries = {
        name: RubricSummary(
            mean=fig.mean, count=fig.count, first=fig.first, last=fig.last, trend=fig.trend,
            scores=list(fig.scores),
        )
        for name, fig in summary.figures.items()
    }
    went_well = list(summary.went_well)
    if session.status == SessionStatus.completed:
        went_well.insert(0, REPORT.completed)
    went_well += [f'You owned a miss and asked to try again: "{line}"' for line in summary.repairs]
    practise_next = None
    if summary.practise_next is not None:
        weakest = summary.practise_next
        mean = summary.figures[weakest].mean
        practise_next = PractiseNext(
            rubric=weakest, mean=mean if mean is not None else 0.0, advice=_advice(rubrics, weakest)
        )
    return SessionReport(
        session_id=session.id,
        scenario_id=session.scenario_id,
        status=SessionStatus(session.status),
        turn_count=len(turns),
        rubrics=summaries,
        went_well=went_well,
        hurts=[
            NamedBehaviour(code=h.code, label=h.label, count=h.count, example=h.example)
            for h in summary.hurts
        ],
        repairs=list(summary.repairs),
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
    needs_attention: bool = Field(
        default=False,
        description="The safety screen paused one of the learner's sessions and it has not been resumed",
    )


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
        needs_attention=any(session.status == SessionStatus.paused for session in sessions),
    )
