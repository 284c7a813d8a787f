"""Learners, practice sessions, turns and idempotency records.

Every read takes the caller's tenant: another tenant's session is simply not found. Writing a turn
is one short write transaction that starts with the versioned ``UPDATE`` of the session (so on
SQLite it takes the write lock at once instead of upgrading a read lock), then inserts the turn.

Repository functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.errors import NotFound, TurnConflict
from trainer.store.tables import IdempotencyKey, Learner, PracticeSession, Turn, utcnow


async def get_or_create_learner(db: AsyncSession, tenant_id: int, external_id: str) -> Learner:
    """The tenant's learner with this external id, created on first use (safe under concurrency)."""
    query = select(Learner).where(Learner.tenant_id == tenant_id, Learner.external_id == external_id)
    learner = (await db.exec(query)).first()
    if learner is not None:
        return learner
    try:
        async with db.begin_nested():
            learner = Learner(tenant_id=tenant_id, external_id=external_id)
            db.add(learner)
    except IntegrityError:
        # Another request created it between our read and our insert.
        learner = (await db.exec(query)).one()
    return learner


async def create_session(
    db: AsyncSession,
    *,
    tenant_id: int,
    learner: Learner,
    scenario_id: str,
    status: str,
    state: dict[str, Any],
) -> PracticeSession:
    assert learner.id is not None
    session = PracticeSession(
        tenant_id=tenant_id, learner_id=learner.id, scenario_id=scenario_id, status=status, state=state
    )
    db.add(session)
    await db.flush()
    return session


async def get_session(db: AsyncSession, tenant_id: int, session_id: str) -> tuple[PracticeSession, Learner]:
    """The session and its learner; NotFound when missing or another tenant's."""
    row = (
        await db.exec(
            select(PracticeSession, Learner)
            .join(Learner, col(PracticeSession.learner_id) == col(Learner.id))
            .where(PracticeSession.id == session_id, PracticeSession.tenant_id == tenant_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"no session {session_id!r}")
    return row


async def get_session_for_turn(
    db: AsyncSession, tenant_id: int, session_id: str, idempotency_key: str | None
) -> tuple[PracticeSession, Learner, IdempotencyKey | None]:
    """The session, its learner, and the tenant's record of ``idempotency_key`` if any, in one read.

    The record may belong to any of the tenant's sessions: the caller compares its request hash.
    NotFound when the session is missing or another tenant's.
    """
    if idempotency_key is None:
        session, learner = await get_session(db, tenant_id, session_id)
        return session, learner, None
    known = sa.and_(
        col(IdempotencyKey.tenant_id) == tenant_id, col(IdempotencyKey.key) == idempotency_key
    )
    row = (
        await db.exec(
            select(PracticeSession, Learner, IdempotencyKey)
            .join(Learner, col(PracticeSession.learner_id) == col(Learner.id))
            .outerjoin(IdempotencyKey, known)
            .where(PracticeSession.id == session_id, PracticeSession.tenant_id == tenant_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"no session {session_id!r}")
    return row


async def list_turns(db: AsyncSession, session_id: str) -> list[Turn]:
    rows = await db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.index)))
    return list(rows.all())


async def list_exchanges(db: AsyncSession, session_id: str) -> list[tuple[str, str]]:
    """Each turn's reply and partner line, in order: all a conversation needs, without the grades."""
    rows = await db.exec(
        select(Turn.reply, Turn.partner_text).where(Turn.session_id == session_id).order_by(col(Turn.index))
    )
    return [(reply, partner_text) for reply, partner_text in rows.all()]


async def _insert(db: AsyncSession, row: Turn | IdempotencyKey) -> None:
    """Insert ``row`` as one plain INSERT: the ORM's unit of work costs more than the statement."""
    table = sa.inspect(type(row)).local_table
    values = {
        column.name: getattr(row, column.key)
        for column in table.columns
        if not (column.primary_key and getattr(row, column.key) is None)
    }
    await db.exec(sa.insert(table).values(values))


async def record_turn(
    db: AsyncSession,
    session: PracticeSession,
    turn: Turn,
    *,
    state: dict[str, Any],
    status: str,
) -> PracticeSession:
    """Store ``turn`` and move ``session`` to ``state``/``status``, if nobody else wrote it first.

    ``session.version`` is the version the caller read; ``turn.index`` must be ``session.turn_count``.
    Raises TurnConflict when another reply to the same session was stored in between.
    """
    now = utcnow()
    result = await db.exec(
        sa.update(PracticeSession)
        .where(col(PracticeSession.id) == session.id, col(PracticeSession.version) == session.version)
        .values(
            state=state,
            status=status,
            version=session.version + 1,
            turn_count=session.turn_count + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise TurnConflict(f"session {session.id!r} changed while this reply was graded; retry")
    turn.session_id = session.id
    await _insert(db, turn)
    # Mirror the UPDATE on the loaded object without marking it dirty (which would write it again).
    for name, value in (
        ("state", state),
        ("status", status),
        ("updated_at", now),
        ("version", session.version + 1),
        ("turn_count", session.turn_count + 1),
    ):
        set_committed_value(session, name, value)
    return session


async def find_idempotency(db: AsyncSession, tenant_id: int, key: str) -> IdempotencyKey | None:
    query = select(IdempotencyKey).where(IdempotencyKey.tenant_id == tenant_id, IdempotencyKey.key == key)
    return (await db.exec(query)).first()


async def save_idempotency(
    db: AsyncSession,
    *,
    tenant_id: int,
    key: str,
    request_hash: str,
    session_id: str,
    response: dict[str, Any],
) -> IdempotencyKey:
    """Remember a turn's response under its Idempotency-Key, in the turn's own transaction."""
    record = IdempotencyKey(
        tenant_id=tenant_id, key=key, request_hash=request_hash, session_id=session_id, response=response
    )
    await _insert(db, record)
    return record


async def delete_learner(db: AsyncSession, tenant_id: int, external_id: str) -> int:
    """Delete a learner and, by cascade, their sessions and turns. Returns rows deleted (0 or 1)."""
    result = await db.exec(
        sa.delete(Learner).where(col(Learner.tenant_id) == tenant_id, col(Learner.external_id) == external_id)
    )
    return int(result.rowcount)
