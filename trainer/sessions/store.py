"""Learners, practice sessions, turns and idempotency records.

Every read takes the caller's tenant: another tenant's session is simply not found. Writing a turn
is one short write transaction that starts with the versioned ``UPDATE`` of the session (so on
SQLite it takes the write lock at once instead of upgrading a read lock), then inserts the turn:
plain statements on a connection, run by ``trainer.store.db.write_transaction``.

Repository functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from trainer.store.tables import IdempotencyKey, Learner, PracticeSession, Turn, utcnow
from trainer.vocabulary.errors import NotFound, TurnConflict


async def get_or_create_learner(
    db: AsyncSession, tenant_id: int, external_id: str, *, creator: tuple[str, int | None]
) -> Learner:
    """The tenant's learner with this external id, created on first use (safe under concurrency).

    ``creator`` is who brings a new learner in: (the key's role, its id), or ("web", None) for the
    practice page; access follows it (``trainer.access``).
    """
    query = select(Learner).where(Learner.tenant_id == tenant_id, Learner.external_id == external_id)
    learner = (await db.exec(query)).first()
    if learner is not None:
        return learner
    role, key_id = creator
    try:
        async with db.begin_nested():
            learner = Learner(
                tenant_id=tenant_id, external_id=external_id, created_by_role=role, created_by_key_id=key_id
            )
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
    scenario_version: int | None = None,
    status: str,
    state: dict[str, Any],
) -> PracticeSession:
    assert learner.id is not None
    session = PracticeSession(
        tenant_id=tenant_id,
        learner_id=learner.id,
        scenario_id=scenario_id,
        scenario_version=scenario_version,
        status=status,
        state=state,
        initial_state=state,
    )
    db.add(session)
    await db.flush()
    return session


def _table(model: type[PracticeSession] | type[Turn] | type[IdempotencyKey]) -> sa.Table:
    table = sa.inspect(model).local_table
    assert isinstance(table, sa.Table)
    return table


# The statements of every turn are built once, with bound parameters: building a statement costs
# more CPU than SQLAlchemy's cached compile of it.
_SESSION_AND_LEARNER = (
    select(PracticeSession, Learner)
    .join(Learner, col(PracticeSession.learner_id) == col(Learner.id))
    .where(
        col(PracticeSession.id) == sa.bindparam("session_id"),
        col(PracticeSession.tenant_id) == sa.bindparam("tenant_id"),
    )
)
# Everything a turn (or a hint) reads, in one statement: a row per turn so far (one row of NULLs
# for a session with none), each with the session, its learner and any record of the request's key.
_TurnContextRow = Select[
    PracticeSession, Learner, IdempotencyKey | None, str | None, str | None, dict[str, Any] | None
]
# sqlmodel's select() takes at most four columns; SQLAlchemy's builds the same statement.
_TURN_CONTEXT = cast(
    _TurnContextRow,
    sa.select(
        PracticeSession, Learner, IdempotencyKey, col(Turn.reply), col(Turn.partner_text), col(Turn.screen)
    )
    .join(Learner, col(PracticeSession.learner_id) == col(Learner.id))
    .outerjoin(
        IdempotencyKey,
        sa.and_(
            col(IdempotencyKey.tenant_id) == sa.bindparam("tenant_id"),
            col(IdempotencyKey.key) == sa.bindparam("key"),
        ),
    )
    # Only the live conversation: turns a rewind took back stay stored but are no longer said.
    .outerjoin(
        Turn, sa.and_(col(Turn.session_id) == col(PracticeSession.id), col(Turn.superseded).is_(False))
    )
    .where(
        col(PracticeSession.id) == sa.bindparam("session_id"),
        col(PracticeSession.tenant_id) == sa.bindparam("tenant_id"),
    )
    .order_by(col(Turn.index)),
)
_MOVE_SESSION = (
    sa.update(_table(PracticeSession))
    .where(
        col(PracticeSession.id) == sa.bindparam("session_id"),
        col(PracticeSession.version) == sa.bindparam("seen_version"),
    )
    .values(
        state=sa.bindparam("new_state", type_=sa.JSON()),
        status=sa.bindparam("new_status"),
        version=sa.bindparam("new_version"),
        turn_count=sa.bindparam("new_turn_count"),
        updated_at=sa.bindparam("now", type_=sa.DateTime(timezone=True)),
    )
)


# Plain Core INSERTs into the tables: the ORM's unit of work costs more than the statement.
_INSERT_TURN = sa.insert(_table(Turn))
_INSERT_KEY = sa.insert(_table(IdempotencyKey))


async def get_session(db: AsyncSession, tenant_id: int, session_id: str) -> tuple[PracticeSession, Learner]:
    """The session and its learner; NotFound when missing or another tenant's."""
    params = {"session_id": session_id, "tenant_id": tenant_id}
    row = (await db.exec(_SESSION_AND_LEARNER, params=params)).first()
    if row is None:
        raise NotFound(f"no session {session_id!r}")
    return row


async def end_session(db: AsyncSession, session_id: str) -> None:
    """Mark the session as ended by its learner (once: the first end's time stays). The caller
    checks that it is still active; its status is left as it is."""
    table = _table(PracticeSession)
    await db.exec(
        sa.update(table)
        .where(table.c.id == session_id, table.c.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


class TurnContext(NamedTuple):
    """What a turn reads before the engines run."""

    session: PracticeSession
    learner: Learner
    known_key: IdempotencyKey | None
    exchanges: list[tuple[str, str]]


async def read_turn_context(
    db: AsyncSession, tenant_id: int, session_id: str, idempotency_key: str | None = None
) -> TurnContext:
    """The session, its learner, each unscreened turn's (reply, partner line), and the tenant's record of
    ``idempotency_key`` if any (it may belong to any of the tenant's sessions: the caller compares
    its request hash), in one read. NotFound when the session is missing or another tenant's.
    """
    params = {"session_id": session_id, "tenant_id": tenant_id, "key": idempotency_key}
    rows = (await db.exec(_TURN_CONTEXT, params=params)).all()
    if not rows:
        raise NotFound(f"no session {session_id!r}")
    session, learner, known_key, _, _, _ = rows[0]
    # A reply the safety screen paused on is never part of what an engine (or a model) reads.
    exchanges = [
        (reply, answer)
        for *_, reply, answer, screen in rows
        if reply is not None and answer is not None and screen is None
    ]
    return TurnContext(session, learner, known_key, exchanges)


async def list_turns(db: AsyncSession, session_id: str) -> list[Turn]:
    rows = await db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.index)))
    return list(rows.all())


_TURN_COLUMNS = tuple((column.key, column.primary_key) for column in sa.inspect(Turn).columns)


def _row_values(row: Turn) -> dict[str, Any]:
    """The row's column values, leaving out a primary key the database will choose."""
    return {
        key: value
        for key, primary in _TURN_COLUMNS
        if (value := getattr(row, key)) is not None or not primary
    }


def record_turn(
    connection: Connection,
    session: PracticeSession,
    turn: Turn,
    *,
    state: dict[str, Any],
    status: str,
) -> None:
    """Store ``turn`` and move ``session`` to ``state``/``status``, if nobody else wrote it first.

    Plain statements for a ``write_transaction``. ``session.version`` is the version the caller
    read; ``turn.index`` must be ``session.turn_count``. Raises TurnConflict when another reply to
    the same session was stored in between. The loaded ``session`` object is moved along too.
    """
    now = utcnow()
    moved = {
        "session_id": session.id,
        "seen_version": session.version,
        "new_state": state,
        "new_status": status,
        "new_version": session.version + 1,
        "new_turn_count": session.turn_count + 1,
        "now": now,
    }
    if connection.execute(_MOVE_SESSION, moved).rowcount != 1:
        raise TurnConflict(f"session {session.id!r} changed while this reply was graded; retry")
    turn.session_id = session.id
    connection.execute(_INSERT_TURN, _row_values(turn))
    _mirror(session, state=state, status=status, now=now, turn_count=session.turn_count + 1)


_REWIND_SESSION = (
    sa.update(_table(PracticeSession))
    .where(
        col(PracticeSession.id) == sa.bindparam("session_id"),
        col(PracticeSession.version) == sa.bindparam("seen_version"),
    )
    .values(
        state=sa.bindparam("new_state", type_=sa.JSON()),
        status=sa.bindparam("new_status"),
        version=sa.bindparam("new_version"),
        attempts=sa.bindparam("new_attempts"),
        updated_at=sa.bindparam("now", type_=sa.DateTime(timezone=True)),
    )
)
_SUPERSEDE_TURNS = (
    sa.update(_table(Turn))
    .where(
        col(Turn.session_id) == sa.bindparam("rewound_session"),
        col(Turn.index) >= sa.bindparam("from_index"),
        col(Turn.superseded).is_(False),
    )
    .values(superseded=True)
)


def record_rewind(
    connection: Connection,
    session: PracticeSession,
    *,
    from_index: int,
    state: dict[str, Any],
    status: str,
) -> None:
    """Take ``session`` back to ``state``/``status`` before the live turn ``from_index``: the live
    turns from there on are marked superseded (kept, never deleted) and a new attempt begins.

    Plain statements for a ``write_transaction``, versioned like ``record_turn``: TurnConflict when
    a reply or another rewind was stored since ``session.version`` was read.
    """
    now = utcnow()
    moved = {
        "session_id": session.id,
        "seen_version": session.version,
        "new_state": state,
        "new_status": status,
        "new_version": session.version + 1,
        "new_attempts": session.attempts + 1,
        "now": now,
    }
    if connection.execute(_REWIND_SESSION, moved).rowcount != 1:
        raise TurnConflict(f"session {session.id!r} changed while it was being rewound; retry")
    connection.execute(_SUPERSEDE_TURNS, {"rewound_session": session.id, "from_index": from_index})
    _mirror(session, state=state, status=status, now=now, attempts=session.attempts + 1)


_SET_STATUS = (
    sa.update(_table(PracticeSession))
    .where(
        col(PracticeSession.id) == sa.bindparam("session_id"),
        col(PracticeSession.version) == sa.bindparam("seen_version"),
    )
    .values(
        state=sa.bindparam("new_state", type_=sa.JSON()),
        status=sa.bindparam("new_status"),
        version=sa.bindparam("new_version"),
        updated_at=sa.bindparam("now", type_=sa.DateTime(timezone=True)),
    )
)


def set_status(
    connection: Connection, session: PracticeSession, *, state: dict[str, Any], status: str
) -> None:
    """Move ``session`` to ``status`` (and ``state``) with no turn, if nobody else wrote it first."""
    now = utcnow()
    moved = {
        "session_id": session.id,
        "seen_version": session.version,
        "new_state": state,
        "new_status": status,
        "new_version": session.version + 1,
        "now": now,
    }
    if connection.execute(_SET_STATUS, moved).rowcount != 1:
        raise TurnConflict(f"session {session.id!r} changed at the same time; retry")
    _mirror(session, state=state, status=status, now=now)


def _mirror(
    session: PracticeSession, *, state: dict[str, Any], status: str, now: datetime, **counters: int
) -> None:
    """Mirror a versioned UPDATE on the loaded object without marking it dirty (which would write it
    again): the new state and status, the next version, and any counters the UPDATE moved."""
    moved: dict[str, Any] = {"state": state, "status": status, "updated_at": now}
    moved.update(version=session.version + 1, **counters)
    for name, value in moved.items():
        set_committed_value(session, name, value)


async def find_idempotency(db: AsyncSession, tenant_id: int, key: str) -> IdempotencyKey | None:
    query = select(IdempotencyKey).where(IdempotencyKey.tenant_id == tenant_id, IdempotencyKey.key == key)
    return (await db.exec(query)).first()


def save_idempotency(
    connection: Connection,
    *,
    tenant_id: int,
    key: str,
    request_hash: str,
    session_id: str,
    response: dict[str, Any],
) -> None:
    """Remember a turn's response under its Idempotency-Key, in the turn's own transaction."""
    record = {
        "tenant_id": tenant_id,
        "key": key,
        "request_hash": request_hash,
        "session_id": session_id,
        "response": response,
        "created_at": utcnow(),
    }
    connection.execute(_INSERT_KEY, record)


async def delete_learner(db: AsyncSession, tenant_id: int, external_id: str) -> int:
    """Delete a learner and, by cascade, their sessions and turns. Returns rows deleted (0 or 1)."""
    result = await db.exec(
        sa.delete(Learner).where(col(Learner.tenant_id) == tenant_id, col(Learner.external_id) == external_id)
    )
    return int(result.rowcount)


async def sessions_started_since(
    db: AsyncSession, learner_id: int, since: datetime
) -> tuple[int, datetime | None]:
    """How many sessions the learner started at or after ``since``, and when the first of them was."""
    query = select(sa.func.count(), sa.func.min(PracticeSession.created_at)).where(
        col(PracticeSession.learner_id) == learner_id, col(PracticeSession.created_at) >= since
    )
    count, first = (await db.exec(query)).one()
    return int(count), first
