"""Rewind: take a live conversation back to just before one of its turns, so the learner can try
that reply again.

The partner's state is restored exactly as it was stored: the ``state_after`` of the live turn just
before, or the session's ``initial_state`` for a rewind to the first reply; a session the safety
screen paused is active again at any point before its pause. Nothing is deleted: the turns taken
back are marked ``superseded`` and stay readable as an earlier attempt; the session's ``attempts``
counts up and later turns carry the new attempt's number. A rewind is written like a
turn (``trainer.sessions.service``): a short read, then ONE write transaction with the versioned
``UPDATE`` of the session, so a rewind that races a reply gets ``TurnConflict`` (409), and an
Idempotency-Key replays the stored answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.content.catalogue import session_scenario
from trainer.content.library import ContentLibrary
from trainer.partner.state import PartnerState, SessionStatus
from trainer.sessions.schemas import SessionStatusView, StateView
from trainer.sessions.service import RETRY_DETAIL, LearnerLimit
from trainer.sessions.store import (
    find_idempotency,
    list_turns,
    read_turn_context,
    record_rewind,
    save_idempotency,
)
from trainer.sessions.turn import open_session
from trainer.store.db import write_transaction
from trainer.store.tables import IdempotencyKey, PracticeSession, Turn
from trainer.vocabulary.errors import IdempotencyMismatch, RewindRefused, SessionNotActive, TurnConflict

REWOUND: dict[str, Any] = {"status": "active", "state": {"stage": "sharing", "safety": 55}}
EXAMPLE: dict[str, Any] = {"to": 2, "attempt": 2, "superseded": [2, 3], "session": REWOUND}


class RewindRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"to": 2}]})

    to: int = Field(ge=0, description="The index of the live turn to go back before (0: the first reply)")

    @field_validator("to", mode="before")
    @classmethod
    def _a_number(cls, value: object) -> object:
        # JSON true/false and "2" are not turn numbers (pydantic would read them as 1/0 and 2).
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be an integer")
        return value


class RewindResponse(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [EXAMPLE]},
    )

    to: int = Field(description="The turn the conversation went back before")
    attempt: int = Field(description="The attempt the next reply belongs to (1 before any rewind)")
    superseded: list[int] = Field(description="The indexes of the turns taken back, now an earlier attempt")
    session: SessionStatusView = Field(description="The session as it was just before turn `to`")


@dataclass(frozen=True)
class Rewind:
    """A rewind as a client asked for it."""

    tenant_id: int
    session_id: str
    to: int
    idempotency_key: str | None = None


@dataclass(frozen=True)
class RewindOutcome:
    response: RewindResponse
    replayed: bool


def rewind_hash(session_id: str, to: int) -> str:
    body = json.dumps({"session_id": session_id, "rewind_to": to}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def _replayed(record: IdempotencyKey | None, expected_hash: str) -> RewindOutcome | None:
    if record is None:
        return None
    if record.request_hash != expected_hash:
        raise IdempotencyMismatch(
            "This Idempotency-Key was already used for a different request; "
            "send a new key for a new rewind (keep a key only to retry the same request)."
        )
    return RewindOutcome(RewindResponse.model_validate(record.response), replayed=True)


def state_before(
    session: PracticeSession, live: list[Turn], to: int, fallback: PartnerState
) -> dict[str, Any]:
    """The stored partner state just before live turn ``to``: the turn before's, or the initial one.

    A reply the safety screen paused on leaves the state as it was, but paused. A turn after it was
    taken once the learner resumed, so going back before that turn finds the session active again;
    going back before the screened reply itself finds the state before it. Either way a rewind never
    lands on a pause: it takes the conversation back to a point where the learner was talking.
    """
    before = [turn for turn in live if turn.index < to]
    if before:
        state = dict(before[-1].state_after)
        if before[-1].screen is not None:
            state["status"] = SessionStatus.active.value
        return state
    if session.initial_state is not None:
        return dict(session.initial_state)
    return fallback.model_dump(mode="json")  # a session stored before rewinds existed


async def rewind_session(
    db: AsyncSession, library: ContentLibrary, limiter: LearnerLimit, request: Rewind
) -> RewindOutcome:
    """Take the session back to just before its live turn ``request.to``."""
    fingerprint = rewind_hash(request.session_id, request.to)
    context = await read_turn_context(db, request.tenant_id, request.session_id, request.idempotency_key)
    session = context.session
    replayed = _replayed(context.known_key, fingerprint)
    if replayed is not None:
        await db.commit()
        return replayed
    await limiter.check_learner(request.tenant_id, context.learner.external_id)
    if session.ended_at is not None:
        raise SessionNotActive(
            "The session was ended and cannot be rewound; start a new session (POST /v1/sessions)."
        )
    live = [turn for turn in await list_turns(db, session.id) if not turn.superseded]
    if not any(turn.index == request.to for turn in live):
        indexes = ", ".join(str(turn.index) for turn in live) or "none yet"
        raise RewindRefused(
            f"Turn {request.to} is not in the live conversation of session {session.id!r} "
            f"(its turns: {indexes}); rewind to one of those indexes."
        )
    scenario = await session_scenario(db, library, session)
    state = state_before(session, live, request.to, open_session(scenario).state)
    status = PartnerState.model_validate(state).status
    await db.commit()  # end the read
    taken_back = [turn.index for turn in live if turn.index >= request.to]
    response = RewindResponse(
        to=request.to,
        attempt=session.attempts + 1,
        superseded=taken_back,
        session=SessionStatusView(status=SessionStatus(status), state=StateView.of(state)),
    )
    key = request.idempotency_key
    stored_response = response.model_dump(mode="json") if key is not None else {}

    def store(connection: Connection) -> None:
        record_rewind(connection, session, from_index=request.to, state=state, status=status.value)
        if key is not None:
            save_idempotency(
                connection,
                tenant_id=request.tenant_id,
                key=key,
                request_hash=fingerprint,
                session_id=session.id,
                response=stored_response,
            )

    try:
        await write_transaction(db, store)
    except (TurnConflict, IntegrityError):
        if key is not None:
            again = _replayed(await find_idempotency(db, request.tenant_id, key), fingerprint)
            if again is not None:
                return again
        raise TurnConflict(RETRY_DETAIL.replace("{id}", session.id)) from None
    return RewindOutcome(response, replayed=False)
