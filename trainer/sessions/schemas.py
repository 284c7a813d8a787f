"""The HTTP contract for sessions, turns, hints and grades: request and response bodies, with examples.

These are views: they are built from the stored rows (``trainer.store.tables``) and the domain's
models, and carry only what a client may see (never the partner's hidden story or exemplars).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from trainer.content.scenario import Stage
from trainer.grading.notices import notice_for_reply
from trainer.partner.state import PartnerState, SessionStatus
from trainer.partner.transitions import TWO_LEFT
from trainer.safety.resources import Help
from trainer.store.tables import PracticeSession, Turn
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import Grade, RubricName
from trainer.vocabulary.limits import MAX_REPLY_CHARS
from trainer.vocabulary.messages import NOT_BLANK, Role
from trainer.vocabulary.times import UtcDatetime

SESSION_ID = "Vb3cZk0u9yq2GmTqfX1w8Q"
CREATED_AT = "2025-05-04T09:30:00Z"
REPLY = "It sounds like you were really let down when I cancelled, after you had planned it for weeks."
PARTNER_LINE = "Yes. I had been looking forward to it all week, and it felt like I did not count."
STATE = {"stage": "clarifying", "safety": 62}
GRADE = {
    "behaviours": [{"code": "reflection", "evidence": "you were really let down when I cancelled"}],
    "rubrics": {
        "reflection": {
            "score": 3,
            "reason": "Restates the event and names the feeling.",
            "evidence": "let down",
            "applicable": True,
        },
        "validation": {
            "score": 1, "reason": "No word that the feeling makes sense.", "evidence": "", "applicable": False
        },
        "not_fixing": {"score": 3, "reason": "No advice.", "evidence": "", "applicable": True},
        "open_questions": {"score": 1, "reason": "No question.", "evidence": "", "applicable": False},
        "partner_focus": {
            "score": 3, "reason": "Stays with the partner.", "evidence": "", "applicable": True
        },
    },
    "tip": 'Add that the feeling makes sense from their side: "no wonder you were hurt".',
    "engine": "rules",
    "degraded": False,
}
TURN = {
    "index": 0,
    "reply": REPLY,
    "grade": GRADE,
    "partner": {"text": PARTNER_LINE},
    "created_at": CREATED_AT,
}
SESSION = {
    "id": SESSION_ID,
    "scenario_id": "work-vent",
    "learner_id": "learner-42",
    "status": "active",
    "partner": {"name": "Sam"},
    "messages": [{"role": "partner", "text": "You cancelled again. I had been looking forward to it."}],
    "state": {"stage": "sharing", "safety": 55},
    "max_turns": 12,
    "turn_count": 0,
    "created_at": CREATED_AT,
    "updated_at": CREATED_AT,
}
SUMMARY = {
    key: SESSION[key]
    for key in ("id", "scenario_id", "status", "state", "turn_count", "created_at", "updated_at")
}


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})


Reply = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=NOT_BLANK, max_length=MAX_REPLY_CHARS)
]
LearnerId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=NOT_BLANK, max_length=200)
]


class CreateSession(BaseModel):
    model_config = _examples({"scenario_id": "work-vent", "learner_id": "learner-42"})

    scenario_id: str = Field(min_length=1, max_length=64, description="A scenario id from GET /v1/scenarios")
    learner_id: LearnerId = Field(description="Your own id for the learner (created on first use)")


class TurnRequest(BaseModel):
    model_config = _examples({"reply": REPLY})

    reply: Reply = Field(description=f"The learner's reply: 1 to {MAX_REPLY_CHARS} characters after trimming")


class MessageView(BaseModel):
    model_config = _examples({"role": "partner", "text": PARTNER_LINE})

    role: Role
    text: str


class PartnerName(BaseModel):
    model_config = _examples({"name": "Sam"})

    name: str


class StateView(BaseModel):
    model_config = _examples(STATE)

    stage: Stage
    safety: int = Field(ge=0, le=100, description="How safe the partner feels, 0..100")
    replies_left: int | None = Field(
        default=None, ge=0, description="Replies the learner may still send (absent before the first reply)"
    )

    @classmethod
    def of(cls, state: dict[str, Any]) -> StateView:
        partner = PartnerState.model_validate(state)
        return cls(stage=partner.stage, safety=partner.safety, replies_left=partner.replies_left)


class BehaviourView(BaseModel):
    model_config = _examples(GRADE["behaviours"][0])  # type: ignore[index]

    code: Code
    evidence: str = Field(description="The words of the reply that show it")


class RubricScoreView(BaseModel):
    model_config = _examples(
        {"score": 2, "reason": "Restates the event but not the feeling.", "evidence": "", "applicable": True}
    )

    score: int = Field(ge=0, le=3)
    reason: str
    evidence: str
    applicable: bool = Field(
        default=True,
        description="Whether the moment of the exercise called for this rubric; tips, progress and reports "
        "weigh a rubric only where it applied",
    )


class GradeView(BaseModel):
    model_config = _examples(GRADE)

    behaviours: list[BehaviourView]
    rubrics: dict[RubricName, RubricScoreView]
    tip: str
    engine: str = Field(description="rules (offline) or llm (the model judge)")
    degraded: bool = Field(description="A model was configured but failed; the offline engines answered")

    @classmethod
    def of_grade(cls, grade: Grade) -> GradeView:
        return cls(
            behaviours=[BehaviourView(code=b.code, evidence=b.evidence) for b in grade.behaviours],
            rubrics={
                name: RubricScoreView(
                    score=s.score, reason=s.reason, evidence=s.evidence, applicable=s.applicable
                )
                for name, s in grade.rubrics.items()
            },
            tip=grade.tip,
            engine=grade.engine.value,
            degraded=grade.degraded,
        )

    @classmethod
    def of_turn(cls, turn: Turn) -> GradeView:
        return cls(
            behaviours=[BehaviourView.model_validate(b) for b in turn.behaviours],
            rubrics={RubricName(name): RubricScoreView.model_validate(s) for name, s in turn.rubrics.items()},
            tip=turn.tip,
            engine=turn.engine,
            degraded=turn.degraded,
        )


class PartnerLine(BaseModel):
    model_config = _examples({"text": PARTNER_LINE, "replaced": False})

    text: str
    replaced: bool = Field(
        default=False, description="The model's line could not be shown; this is the scripted line instead"
    )
    reason: str | None = Field(
        default=None,
        description="Why it was replaced: break_character, stage_direction, empty, too_long or unsafe",
    )


SCREEN = {
    "category": "self_harm",
    "message": "It sounds like you might be going through something really painful...",
    "resources": [
        {"name": "Local emergency services", "contact": "If you or someone else is in danger right now, ..."}
    ],
}


class ResourceView(BaseModel):
    name: str
    contact: str


class ScreenView(BaseModel):
    """The safety screen paused the role-play: what it noticed, a kind message, where to find help."""

    model_config = _examples(SCREEN)

    category: str = Field(description="self_harm, harm_to_others or abuse")
    message: str
    resources: list[ResourceView] = Field(min_length=1)

    @classmethod
    def of(cls, screen: Help | dict[str, Any]) -> ScreenView:
        return cls.model_validate(screen.model_dump(mode="json") if isinstance(screen, Help) else screen)


class ScreenedGrade(BaseModel):
    """``POST /v1/grade`` for a reply the safety screen stopped: no rubrics, no tip."""

    model_config = _examples({"screen": SCREEN})

    screen: ScreenView


# The partner's reactions after which a tip points at trying the reply again.
PULLED_BACK = frozenset(
    {"hurt_advice", "hurt_invalidation", "hurt_self_focus", "hurt_defensiveness", "hurt_leading"}
    | {"withdraw", "still_withdrawn", "ended"}
)
TRY_AGAIN = "The partner pulled back there. Try that reply again?"


def try_again_for(turn: Turn) -> str | None:
    """A nudge to rewind and retry a reply the partner pulled back from; None otherwise."""
    if turn.superseded or turn.screen is not None:
        return None
    if turn.state_after.get("last_reaction") not in PULLED_BACK:
        return None
    return TRY_AGAIN


class TurnView(BaseModel):
    model_config = _examples(TURN)

    index: int = Field(ge=0, description="0 for the first reply; unique in the session, rewinds included")
    reply: str
    notice: str | None = Field(
        default=None,
        description="A sentence for the learner when the reply could not be read (it was not graded), "
        "or about the session (two replies left)",
    )
    grade: GradeView | None = Field(description="None when the safety screen paused on this reply")
    partner: PartnerLine
    screen: ScreenView | None = Field(default=None, description="Set when the safety screen paused here")
    created_at: UtcDatetime
    attempt: int = Field(default=1, ge=1, description="The attempt it belongs to: 1, then +1 per rewind")
    position: int = Field(default=0, ge=0, description="Its place in its attempt's conversation (0: first)")
    superseded: bool = Field(
        default=False, description="A rewind took the conversation back before it: an earlier attempt"
    )
    try_again: str | None = Field(
        default=None, description="Set when the partner pulled back: rewind to this turn to retry it"
    )

    @classmethod
    def of(cls, turn: Turn) -> TurnView:
        replaced = turn.partner_replaced
        after = PartnerState.model_validate(turn.state_after)
        two_left = after.replies_left == 2 and after.status is SessionStatus.active
        screened = turn.screen is not None
        notices = [None if screened else notice_for_reply(turn.reply), TWO_LEFT if two_left else None]
        return cls(
            index=turn.index,
            reply=turn.reply,
            notice=" ".join(n for n in notices if n) or None,
            grade=None if screened else GradeView.of_turn(turn),
            partner=PartnerLine(text=turn.partner_text, replaced=replaced is not None, reason=replaced),
            screen=ScreenView.of(turn.screen) if turn.screen is not None else None,
            created_at=turn.created_at,
            attempt=turn.attempt,
            position=turn.index if turn.position is None else turn.position,
            superseded=turn.superseded,
            try_again=try_again_for(turn),
        )


class SessionStatusView(BaseModel):
    model_config = _examples({"status": "active", "state": STATE})

    status: SessionStatus
    state: StateView

    @classmethod
    def of(cls, session: PracticeSession) -> SessionStatusView:
        return cls(status=SessionStatus(session.status), state=StateView.of(session.state))


class TurnResponse(BaseModel):
    model_config = _examples({"turn": TURN, "session": {"status": "active", "state": STATE}})

    turn: TurnView
    session: SessionStatusView


class SessionView(BaseModel):
    model_config = _examples(SESSION)

    id: str
    scenario_id: str
    scenario_version: int | None = Field(
        default=None,
        description="The version of a tenant's own scenario the session runs on (null: a built-in one)",
    )
    learner_id: str
    status: SessionStatus
    partner: PartnerName
    messages: list[MessageView] = Field(description="The conversation so far, the partner's opening first")
    state: StateView
    max_turns: int
    turn_count: int = Field(description="Every reply taken, rewound ones included")
    attempts: int = Field(default=1, ge=1, description="1, then +1 per rewind")
    created_at: UtcDatetime
    updated_at: UtcDatetime


class SessionDetail(SessionView):
    model_config = _examples({**SESSION, "turn_count": 1, "turns": [TURN]})

    turns: list[TurnView]


class SessionSummary(BaseModel):
    model_config = _examples(SUMMARY)

    id: str
    scenario_id: str
    status: SessionStatus
    state: StateView
    turn_count: int
    created_at: UtcDatetime
    updated_at: UtcDatetime

    @classmethod
    def of(cls, session: PracticeSession) -> SessionSummary:
        return cls(
            id=session.id,
            scenario_id=session.scenario_id,
            status=SessionStatus(session.status),
            state=StateView.of(session.state),
            turn_count=session.turn_count,
            created_at=session.created_at,
            updated_at=session.updated_at,
        )


class SessionPage(BaseModel):
    model_config = _examples({"items": [SUMMARY], "next_cursor": "MjAyNS0wNS0wNFQwOTozMDowMCswMDowMHxWYjNj"})

    items: list[SessionSummary] = Field(description="Newest first")
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class HintView(BaseModel):
    model_config = _examples({"reply": "So the cancelled plan stung, because you had been counting on it?"})

    reply: str = Field(description="An exemplar next reply for where the conversation stands")


class GradeRequest(BaseModel):
    model_config = _examples(
        {
            "partner": "My sister told the whole family about my divorce before I could.",
            "reply": "You wanted to tell them yourself, and she took that from you.",
            "history": [],
        }
    )

    partner: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, pattern=NOT_BLANK, max_length=4000)
    ] = Field(description="The partner line the reply answers; not blank")
    reply: Reply
    history: list[MessageView] = Field(default_factory=list, max_length=100, description="Earlier messages")


def _rubric_summary(scores: list[int]) -> dict[str, Any]:
    trend = "improving" if scores[-1] > scores[0] else "steady"
    return {
        "mean": round(sum(scores) / len(scores), 2),
        "first": scores[0],
        "last": scores[-1],
        "trend": trend,
        "scores": scores,
    }


REPORT: dict[str, Any] = {
    "session_id": SESSION_ID,
    "scenario_id": "work-vent",
    "status": "completed",
    "turn_count": 3,
    "rubrics": {
        "reflection": _rubric_summary([2, 3, 3]),
        "validation": _rubric_summary([1, 1, 2]),
        "not_fixing": _rubric_summary([3, 3, 3]),
        "open_questions": _rubric_summary([1, 2, 2]),
        "partner_focus": _rubric_summary([3, 3, 3]),
    },
    "went_well": [
        "The partner felt understood and the conversation came to a close.",
        "Not fixing: 3.0 of 3 on average, ending on 3",
    ],
    "practise_next": {
        "rubric": "validation",
        "mean": 1.33,
        "advice": "Validation: aim for this in your next replies: say the feeling makes sense to you.",
    },
}
PROGRESS: dict[str, Any] = {
    "learner_id": "learner-42",
    "session_count": 2,
    "sessions": [
        {
            "session_id": "first-session-id",
            "scenario_id": "work-vent",
            "status": "withdrawn",
            "created_at": "2025-05-01T09:30:00Z",
            "turn_count": 4,
            "averages": {"reflection": 1.5, "validation": 0.75, "not_fixing": 1.0},
        },
        {
            "session_id": SESSION_ID,
            "scenario_id": "work-vent",
            "status": "completed",
            "created_at": CREATED_AT,
            "turn_count": 3,
            "averages": {"reflection": 2.67, "validation": 1.33, "not_fixing": 3.0},
        },
    ],
    "rubrics": {
        "not_fixing": {
            "points": [
                {"session_id": "first-session-id", "created_at": "2025-05-01T09:30:00Z", "mean": 1.0},
                {"session_id": SESSION_ID, "created_at": CREATED_AT, "mean": 3.0},
            ],
            "earlier_mean": 1.0,
            "recent_mean": 3.0,
            "trend": "improving",
        }
    },
    "improving": ["reflection", "validation", "not_fixing"],
}
