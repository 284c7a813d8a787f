"""Practice sessions as a service: the domain calls the HTTP controllers make (they only translate HTTP).

A turn is written in three steps so that no database lock is held while the engines think: read
the session (a short read, then commit), run the turn (``trainer.practice``, outside any
transaction), then ONE write transaction that moves the session with a versioned ``UPDATE``,
inserts the turn (unique per session and index) and remembers the Idempotency-Key. A reply that
lost the race to another one gets ``TurnConflict`` (409, retry); a retried request with the same
key gets the stored response back and creates nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.api.ratelimit import RateLimiter
from trainer.api.schemas_sessions import SessionStatusView, StateView, TurnResponse, TurnView
from trainer.content.library import ContentLibrary
from trainer.content.scenario import Scenario
from trainer.errors import IdempotencyMismatch, NotFound, SessionNotActive, TurnConflict
from trainer.grading.model import Grade, GradeContext
from trainer.messages import Message, Role
from trainer.partner.hints import hint
from trainer.partner.state import PartnerState, SessionStatus
from trainer.practice import Engines, TurnResult, open_session, stream_turn, take_turn
from trainer.session_reports import LearnerProgress, SessionReport, learner_progress, session_report
from trainer.store import sessions_repo
from trainer.store.db import Sessionmaker, write_transaction, writing
from trainer.store.sessions import (
    create_session,
    find_idempotency,
    get_or_create_learner,
    get_session,
    list_turns,
    read_turn_context,
    record_turn,
    save_idempotency,
)
from trainer.store.tables import IdempotencyKey, Learner, PracticeSession, Turn

logger = logging.getLogger("trainer.sessions")

T = TypeVar("T")

RETRY_DETAIL = (
    "Another reply to this session was stored first. Read the session (GET /v1/sessions/{id}) "
    "and retry the request; it is safe to retry."
)


class TurnTasks:
    """Streamed turns run as tasks of their own, so a client that goes away cannot cancel the write.

    The set holds them until they finish (asyncio keeps only weak references); the app's lifespan
    drains it on shutdown so that an acknowledged turn is never cut off.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            logger.warning("a streamed turn failed: %s", type(error).__name__)

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


@dataclass(frozen=True)
class SessionRecord:
    """A stored session with what a view of it needs."""

    session: PracticeSession
    learner_id: str
    scenario: Scenario
    turns: list[Turn]

    @property
    def messages(self) -> list[Message]:
        return conversation(self.scenario, [(turn.reply, turn.partner_text) for turn in self.turns])


def conversation(scenario: Scenario, exchanges: list[tuple[str, str]]) -> list[Message]:
    """The partner's opening, then each (reply, answer). The opening is the scenario's first one."""
    messages = [Message(role=Role.partner, text=open_session(scenario).text)]
    for reply, answer in exchanges:
        messages.append(Message(role=Role.learner, text=reply))
        messages.append(Message(role=Role.partner, text=answer))
    return messages


async def start_session(
    db: AsyncSession,
    library: ContentLibrary,
    limiter: RateLimiter,
    tenant_id: int,
    scenario_id: str,
    learner_id: str,
) -> SessionRecord:
    scenario = library.scenario(scenario_id)
    await limiter.check_learner(tenant_id, learner_id)
    opening = open_session(scenario)
    async with writing(db):
        learner = await get_or_create_learner(db, tenant_id, learner_id)
        session = await create_session(
            db,
            tenant_id=tenant_id,
            learner=learner,
            scenario_id=scenario.id,
            status=opening.state.status.value,
            state=opening.state.model_dump(mode="json"),
        )
        await db.commit()
    return SessionRecord(session=session, learner_id=learner.external_id, scenario=scenario, turns=[])


async def read_session(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, session_id: str
) -> SessionRecord:
    session, learner = await get_session(db, tenant_id, session_id)
    turns = await list_turns(db, session.id)
    return SessionRecord(session, learner.external_id, library.scenario(session.scenario_id), turns)


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


async def begin_turn(
    db: AsyncSession,
    library: ContentLibrary,
    limiter: RateLimiter,
    *,
    tenant_id: int,
    session_id: str,
    reply: str,
    idempotency_key: str | None,
) -> PendingTurn | TurnOutcome:
    """Check the request and read what the turn needs; a known Idempotency-Key gives its outcome."""
    fingerprint = request_hash(session_id, reply)
    session, learner, known, exchanges = await read_turn_context(db, tenant_id, session_id, idempotency_key)
    replayed = _replayed(known, fingerprint)
    if replayed is not None:
        await db.commit()
        return replayed
    await limiter.check_learner(tenant_id, learner.external_id)
    if session.status != SessionStatus.active:
        raise SessionNotActive(
            f"The session is {session.status} and takes no more replies; read its report "
            f"(GET /v1/sessions/{session.id}/report) or start a new session (POST /v1/sessions)."
        )
    scenario = library.scenario(session.scenario_id)
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
        input_tokens=judge.input_tokens + voice.input_tokens,
        output_tokens=judge.output_tokens + voice.output_tokens,
        cost_usd=judge.cost_usd + voice.cost_usd,
        latency_ms=latency_ms,
    )


async def finish_turn(
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
    return TurnOutcome(response, replayed=False)


async def post_turn(db: AsyncSession, engines: Engines, pending: PendingTurn) -> TurnOutcome:
    started = time.perf_counter()
    result = await take_turn(engines, pending.scenario, pending.state, pending.history, pending.reply)
    return await finish_turn(db, pending, result, (time.perf_counter() - started) * 1000)


async def stream_and_store(
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
            engines, pending.scenario, pending.state, pending.history, pending.reply
        ):
            if isinstance(item, TurnResult):
                result = item
            else:
                pieces.put_nowait(item)
    finally:
        pieces.put_nowait(None)
    assert result is not None  # stream_turn always ends with its TurnResult
    async with sessionmaker() as db:
        return await finish_turn(db, pending, result, (time.perf_counter() - started) * 1000)


async def hint_for(
    db: AsyncSession,
    library: ContentLibrary,
    limiter: RateLimiter,
    tenant_id: int,
    session_id: str,
    attempt: int,
) -> str:
    session, learner, _, exchanges = await read_turn_context(db, tenant_id, session_id)
    await limiter.check_learner(tenant_id, learner.external_id)
    scenario = library.scenario(session.scenario_id)
    history = conversation(scenario, exchanges)
    return hint(scenario, PartnerState.model_validate(session.state), history, attempt)


async def report_for(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, session_id: str
) -> SessionReport:
    record = await read_session(db, library, tenant_id, session_id)
    return session_report(record.session, record.turns, library.rubrics)


async def _learner(db: AsyncSession, tenant_id: int, learner_id: str) -> Learner:
    learner = await sessions_repo.find_learner(db, tenant_id, learner_id)
    if learner is None:
        raise NotFound(
            f"no learner {learner_id!r}; a learner appears with their first session (POST /v1/sessions)"
        )
    return learner


async def learner_sessions_page(
    db: AsyncSession,
    limiter: RateLimiter,
    tenant_id: int,
    learner_id: str,
    *,
    limit: int,
    before: tuple[Any, str] | None,
) -> tuple[list[PracticeSession], bool]:
    """A page of the learner's sessions, newest first, and whether more follow. No learner: none."""
    await limiter.check_learner(tenant_id, learner_id)
    learner = await sessions_repo.find_learner(db, tenant_id, learner_id)
    if learner is None:
        return [], False
    rows = await sessions_repo.sessions_page(db, learner, limit=limit + 1, before=before)
    return rows[:limit], len(rows) > limit


async def progress_of(
    db: AsyncSession, limiter: RateLimiter, tenant_id: int, learner_id: str
) -> LearnerProgress:
    await limiter.check_learner(tenant_id, learner_id)
    learner = await _learner(db, tenant_id, learner_id)
    sessions = await sessions_repo.learner_sessions(db, learner)
    turns = await sessions_repo.turns_of(db, [s.id for s in sessions])
    return learner_progress(learner_id, sessions, turns)


async def erase_learner(db: AsyncSession, tenant_id: int, learner_id: str) -> None:
    async with writing(db):
        if not await sessions_repo.erase_learner(db, tenant_id, learner_id):
            raise NotFound(
                f"no learner {learner_id!r} (already deleted, or never seen by this API key's tenant)"
            )
        await db.commit()


async def grade_reply(engines: Engines, partner: str, reply: str, history: list[Message]) -> Grade:
    """A grade with no session: the rules grade, or the model judge's when one is configured."""
    context = GradeContext(partner=partner, history=tuple(history))
    rules_grade = engines.grader.grade(reply, context)
    judged = await engines.judge.judge(reply, context, rules_grade)
    return judged.grade
