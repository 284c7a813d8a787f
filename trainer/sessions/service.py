"""Practice sessions as a service: the domain calls the HTTP controllers make (they only translate HTTP).

``submit_turn`` is the one way a reply becomes a turn, for the plain API turn, the streamed turn and
the practice page alike. A turn is written in three steps so that no database lock is held while
the engines think: read the session (a short read, then commit), run the turn
(``trainer.sessions.turn``, outside any transaction), then ONE write transaction that moves the
session with a versioned ``UPDATE``, inserts the turn (unique per session and index) and remembers
the Idempotency-Key. A reply that lost the race to another one gets ``TurnConflict`` (409, retry); a
retried request with the same key gets the stored response back and creates nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, overload

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.access import Actor, created_by
from trainer.content.catalogue import current_scenario, session_scenario
from trainer.content.library import ContentLibrary
from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.partner.hints import hint
from trainer.partner.scripted_partner import opening_line
from trainer.partner.state import PartnerState, SessionStatus
from trainer.sessions import learners_store
from trainer.sessions.reports import SessionReport, session_report
from trainer.sessions.schemas import SessionStatusView, StateView, TurnResponse, TurnView
from trainer.sessions.store import (
    create_session,
    find_idempotency,
    get_or_create_learner,
    get_session,
    list_turns,
    read_turn_context,
    record_turn,
    save_idempotency,
    sessions_started_since,
    set_status,
)
from trainer.sessions.tasks import TurnTasks as TurnTasks
from trainer.sessions.turn import TurnResult, open_session, paused_detail, stream_turn, take_turn
from trainer.store.db import Sessionmaker, write_transaction, writing
from trainer.store.tables import IdempotencyKey, PracticeSession, Turn, utcnow
from trainer.telemetry import metrics
from trainer.vocabulary.errors import (
    Conflict,
    IdempotencyMismatch,
    RateLimited,
    SessionNotActive,
    SessionPaused,
    TurnConflict,
)
from trainer.vocabulary.messages import Message, Role
from trainer.vocabulary.times import as_utc


class LearnerLimit(Protocol):
    """The per-learner rate limit (the API's limiter); raises ``RateLimited`` when it is reached."""

    async def check_learner(self, tenant_id: int, learner_id: str) -> None: ...


RETRY_DETAIL = (
    "Another reply to this session was stored first. Read the session (GET /v1/sessions/{id}) "
    "and retry the request; it is safe to retry."
)


@dataclass(frozen=True)
class SessionRecord:
    """A stored session with what a view of it needs."""

    session: PracticeSession
    learner_id: str
    scenario: Scenario
    turns: list[Turn]

    @property
    def messages(self) -> list[Message]:
        live = [turn for turn in self.turns if not turn.superseded]
        return conversation(self.scenario, [(turn.reply, turn.partner_text) for turn in live])


def conversation(scenario: Scenario, exchanges: list[tuple[str, str]]) -> list[Message]:
    """The partner's opening, then each (reply, answer). The opening is the scenario's first one."""
    messages = [Message(role=Role.partner, text=opening_line(scenario))]
    for reply, answer in exchanges:
        messages.append(Message(role=Role.learner, text=reply))
        if answer:  # a reply the safety screen paused on has no answer
            messages.append(Message(role=Role.partner, text=answer))
    return messages


async def start_session(
    db: AsyncSession,
    library: ContentLibrary,
    limiter: LearnerLimit,
    tenant_id: int,
    scenario_id: str,
    learner_id: str,
    actor: Actor | None,
    *,
    hourly_cap: int = 0,
) -> SessionRecord:
    """A new session for the learner (created on first use, as ``actor``'s; None: the practice page).

    ``hourly_cap`` (0: none) bounds the sessions one learner may start in an hour.
    """
    entry = await current_scenario(db, library, tenant_id, scenario_id)
    await db.commit()  # end the read before the write gate
    scenario = entry.scenario
    await limiter.check_learner(tenant_id, learner_id)
    opening = open_session(scenario)
    async with writing(db):
        learner = await get_or_create_learner(db, tenant_id, learner_id, creator=created_by(actor))
        assert learner.id is not None
        if hourly_cap > 0:
            hour_ago = utcnow() - timedelta(hours=1)
            started, first = await sessions_started_since(db, learner.id, hour_ago)
            if started >= hourly_cap:
                await db.rollback()
                wait = (as_utc(first) - hour_ago).total_seconds() if first is not None else 60.0
                raise RateLimited(
                    f"A learner may start {hourly_cap} sessions an hour; continue one already started "
                    "(GET /v1/sessions?learner_id=...) or retry later (see Retry-After).",
                    max(1, math.ceil(wait)),
                )
        session = await create_session(
            db,
            tenant_id=tenant_id,
            learner=learner,
            scenario_id=scenario.id,
            scenario_version=entry.version,
            status=opening.state.status.value,
            state=opening.state.model_dump(mode="json"),
        )
        await db.commit()
    return SessionRecord(session=session, learner_id=learner.external_id, scenario=scenario, turns=[])


async def resume_or_start(
    db: AsyncSession,
    library: ContentLibrary,
    limiter: LearnerLimit,
    tenant_id: int,
    scenario_id: str,
    learner_id: str,
    actor: Actor | None,
    *,
    hourly_cap: int = 0,
) -> SessionRecord:
    """The learner's active session of the scenario, with its conversation and state; else a new one.

    The practice page calls this, so that a reload (or picking the scenario again) carries on where
    the learner was instead of starting over. The conversation is the live one (turns a rewind took
    back stay in ``turns``, superseded), the state the stored one. Only a new session counts towards
    ``hourly_cap`` (``start_session``).
    """
    learner = await learners_store.find_learner(db, tenant_id, learner_id)
    session = await learners_store.active_session(db, learner, scenario_id) if learner is not None else None
    if learner is None or session is None:
        await db.commit()
        return await start_session(
            db, library, limiter, tenant_id, scenario_id, learner_id, actor, hourly_cap=hourly_cap
        )
    # The version it started with, even if the tenant's scenario changed or was retired since.
    scenario = await session_scenario(db, library, session)
    turns = await list_turns(db, session.id)
    await db.commit()
    await limiter.check_learner(tenant_id, learner_id)
    return SessionRecord(session, learner.external_id, scenario, turns)


async def read_session(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, session_id: str
) -> SessionRecord:
    session, learner = await get_session(db, tenant_id, session_id)
    turns = await list_turns(db, session.id)
    scenario = await session_scenario(db, library, session)
    return SessionRecord(session, learner.external_id, scenario, turns)


@dataclass(frozen=True)
class PendingTurn:
    """A reply accepted for a session, ready for the engines."""

    tenant_id: int
    session: PracticeSession
    session_id: str
    scenario: Scenario
    state: PartnerState
    history: list[Message]
    reply: str
    idempotency_key: str | None
    request_hash: str


@dataclass(frozen=True)
class TurnOutcome:
    response: TurnResponse
    replayed: bool


@dataclass(frozen=True)
class NewReply:
    """A learner's reply to a session, as a client sent it."""

    tenant_id: int
    session_id: str
    reply: str
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Streaming:
    """Where a streamed turn runs: a task of its own (a client that leaves cannot cancel the write)
    with a database session of its own."""

    sessionmaker: Sessionmaker
    tasks: TurnTasks


@dataclass(frozen=True)
class LiveTurn:
    """A streamed turn under way: the partner's words on ``pieces`` (then None); ``task`` stores it."""

    pieces: asyncio.Queue[str | None]
    task: asyncio.Task[TurnOutcome]


def request_hash(session_id: str, reply: str) -> str:
    body = json.dumps({"session_id": session_id, "reply": reply}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


async def _replay(db: AsyncSession, tenant_id: int, key: str, expected_hash: str) -> TurnOutcome | None:
    return _replayed(await find_idempotency(db, tenant_id, key), expected_hash)


def _replayed(record: IdempotencyKey | None, expected_hash: str) -> TurnOutcome | None:
    """The stored outcome of a request seen before under the same key, or None for a new key."""
    if record is None:
        return None
    if record.request_hash != expected_hash:
        raise IdempotencyMismatch(
            "This Idempotency-Key was already used for a different request; "
            "send a new key for a new reply (keep a key only to retry the same request)."
        )
    return TurnOutcome(TurnResponse.model_validate(record.response), replayed=True)


async def _begin_turn(
    db: AsyncSession, library: ContentLibrary, limiter: LearnerLimit, request: NewReply
) -> PendingTurn | TurnOutcome:
    """Check the request and read what the turn needs; a known Idempotency-Key gives its outcome."""
    tenant_id, session_id = request.tenant_id, request.session_id
    reply, idempotency_key = request.reply, request.idempotency_key
    fingerprint = request_hash(session_id, reply)
    session, learner, known, exchanges = await read_turn_context(db, tenant_id, session_id, idempotency_key)
    replayed = _replayed(known, fingerprint)
    if replayed is not None:
        await db.commit()
        return replayed
    await limiter.check_learner(tenant_id, learner.external_id)
    if session.status == SessionStatus.paused:
        raise SessionPaused(paused_detail(session.id))
    if session.status != SessionStatus.active:
        raise SessionNotActive(
            f"The session is {session.status} and takes no more replies; read its report "
            f"(GET /v1/sessions/{session.id}/report) or start a new session (POST /v1/sessions)."
        )
    scenario = await session_scenario(db, library, session)
    await db.commit()  # end the read: the engines must not run inside a transaction
    return PendingTurn(
        tenant_id=tenant_id,
        session=session,
        session_id=session.id,
        scenario=scenario,
        state=PartnerState.model_validate(session.state),
        history=conversation(scenario, exchanges),
        reply=reply,
        idempotency_key=idempotency_key,
        request_hash=fingerprint,
    )


def _turn_row(pending: PendingTurn, result: TurnResult, latency_ms: float) -> Turn:
    judge, voice = result.judge_usage, result.voice_usage
    return Turn(
        session_id=pending.session_id,
        index=pending.session.turn_count,
        attempt=pending.session.attempts,
        position=(len(pending.history) - 1) // 2,  # the opening, then a reply and an answer per turn
        reply=pending.reply.strip(),
        behaviours=[b.model_dump(mode="json") for b in result.grade.behaviours],
        rubrics={name.value: score.model_dump(mode="json") for name, score in result.grade.rubrics.items()},
        tip=result.grade.tip,
        partner_text=result.partner_text,
        state_after=result.state.model_dump(mode="json"),
        engine=result.grade.engine.value,
        degraded=result.grade.degraded or judge.degraded or voice.degraded,
        judge_model=judge.model,
        partner_model=voice.model,
        prompt_hash=judge.prompt_hash,
        partner_prompt_hash=voice.prompt_hash,
        input_tokens=judge.input_tokens + voice.input_tokens,
        cached_input_tokens=judge.cached_input_tokens + voice.cached_input_tokens,
        disagreement={
            name: {"rules": rules, "judge": model} for name, (rules, model) in result.disagreement.items()
        }
        or None,
        output_tokens=judge.output_tokens + voice.output_tokens,
        cost_usd=judge.cost_usd + voice.cost_usd,
        latency_ms=latency_ms,
        screen=result.screen.model_dump(mode="json") if result.screen is not None else None,
        partner_replaced=voice.replaced,
    )


async def _finish_turn(
    db: AsyncSession, pending: PendingTurn, result: TurnResult, latency_ms: float
) -> TurnOutcome:
    """Store the turn, the session's new state and the Idempotency-Key in one transaction."""
    turn = _turn_row(pending, result, latency_ms)
    response = TurnResponse(
        turn=TurnView.of(turn),
        session=SessionStatusView(status=result.status, state=StateView.of(turn.state_after)),
    )
    key = pending.idempotency_key
    # Dumped before the write, so the write gate is not held for it.
    stored_response = response.model_dump(mode="json") if key is not None else {}

    def store(connection: Connection) -> None:
        record_turn(connection, pending.session, turn, state=turn.state_after, status=result.status.value)
        if key is not None:
            save_idempotency(
                connection,
                tenant_id=pending.tenant_id,
                key=key,
                request_hash=pending.request_hash,
                session_id=pending.session_id,
                response=stored_response,
            )

    try:
        await write_transaction(db, store)
    except (TurnConflict, IntegrityError):
        # The winner may have been this very request, retried with the same key.
        if pending.idempotency_key is not None:
            replayed = await _replay(db, pending.tenant_id, pending.idempotency_key, pending.request_hash)
            if replayed is not None:
                return replayed
        raise TurnConflict(RETRY_DETAIL.replace("{id}", pending.session_id)) from None
    metrics.observe_turn(result.grade.engine, result.grade.degraded, result.judge_usage, result.voice_usage)
    return TurnOutcome(response, replayed=False)


async def _run_and_store(db: AsyncSession, engines: Engines, pending: PendingTurn) -> TurnOutcome:
    started = time.perf_counter()
    result = await take_turn(
        engines, pending.scenario, pending.state, pending.history, pending.reply, pending.tenant_id
    )
    return await _finish_turn(db, pending, result, (time.perf_counter() - started) * 1000)


async def _stream_and_store(
    sessionmaker: Sessionmaker, engines: Engines, pending: PendingTurn, pieces: asyncio.Queue[str | None]
) -> TurnOutcome:
    """Run a turn, putting the partner's words on ``pieces`` as they come (then None), and store it.

    Meant to run as its own task (``TurnTasks``): it finishes and stores the turn whether or not
    anyone is still reading ``pieces``.
    """
    started = time.perf_counter()
    result: TurnResult | None = None
    try:
        async for item in stream_turn(
            engines, pending.scenario, pending.state, pending.history, pending.reply, pending.tenant_id
        ):
            if isinstance(item, TurnResult):
                result = item
            else:
                pieces.put_nowait(item)
    finally:
        pieces.put_nowait(None)
    assert result is not None  # stream_turn always ends with its TurnResult
    async with sessionmaker() as db:
        return await _finish_turn(db, pending, result, (time.perf_counter() - started) * 1000)


@overload
async def submit_turn(
    db: AsyncSession,
    library: ContentLibrary,
    limiter: LearnerLimit,
    engines: Engines,
    request: NewReply,
    streaming: None = None,
) -> TurnOutcome: ...


@overload
async def submit_turn(
    db: AsyncSession,
    library: ContentLibrary,
    limiter: LearnerLimit,
    engines: Engines,
    request: NewReply,
    streaming: Streaming,
) -> TurnOutcome | LiveTurn: ...


async def submit_turn(
    db: AsyncSession,
    library: ContentLibrary,
    limiter: LearnerLimit,
    engines: Engines,
    request: NewReply,
    streaming: Streaming | None = None,
) -> TurnOutcome | LiveTurn:
    """The one way a reply becomes a turn: check it, replay a known Idempotency-Key, or run and store.

    Plain (``streaming`` None), the stored outcome comes back. Streamed, a new turn runs as a task of
    its own and comes back at once as a ``LiveTurn``; a replayed one is a ``TurnOutcome`` either way.
    """
    pending = await _begin_turn(db, library, limiter, request)
    if isinstance(pending, TurnOutcome):
        return pending
    if streaming is None:
        return await _run_and_store(db, engines, pending)
    pieces: asyncio.Queue[str | None] = asyncio.Queue()
    task = streaming.tasks.spawn(_stream_and_store(streaming.sessionmaker, engines, pending, pieces))
    return LiveTurn(pieces=pieces, task=task)


async def resume_session(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, session_id: str
) -> SessionRecord:
    """Carry on a session the safety screen paused: it takes replies again, the partner as it was."""
    session, _ = await get_session(db, tenant_id, session_id)
    if session.status != SessionStatus.paused:
        await db.commit()
        raise Conflict(f"The session is {session.status}, not paused; there is nothing to resume.")
    if session.ended_at is not None:
        await db.commit()
        raise SessionNotActive(
            "The session was ended while paused and cannot be resumed; start a new session "
            "(POST /v1/sessions)."
        )
    state = PartnerState.model_validate(session.state).model_copy(update={"status": SessionStatus.active})
    dumped = state.model_dump(mode="json")
    active = SessionStatus.active.value
    await write_transaction(
        db, lambda connection: set_status(connection, session, state=dumped, status=active)
    )
    return await read_session(db, library, tenant_id, session_id)


async def hint_for(
    db: AsyncSession,
    library: ContentLibrary,
    limiter: LearnerLimit,
    tenant_id: int,
    session_id: str,
    attempt: int,
) -> str:
    session, learner, _, exchanges = await read_turn_context(db, tenant_id, session_id)
    await limiter.check_learner(tenant_id, learner.external_id)
    scenario = await session_scenario(db, library, session)
    history = conversation(scenario, exchanges)
    return hint(scenario, PartnerState.model_validate(session.state), history, attempt)


async def report_for(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, session_id: str
) -> SessionReport:
    record = await read_session(db, library, tenant_id, session_id)
    return session_report(record.session, record.turns, library.rubrics)
