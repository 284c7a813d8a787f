"""Learners, sessions, turns and idempotency records: tenant-scoped, versioned, cascading."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.sessions.store import (
    create_session,
    delete_learner,
    find_idempotency,
    get_or_create_learner,
    get_session,
    list_turns,
    read_turn_context,
    record_turn,
    save_idempotency,
)
from trainer.store.db import create_sessionmaker, write_transaction
from trainer.store.keys import get_or_create_tenant
from trainer.store.tables import PracticeSession, Tenant, Turn
from trainer.vocabulary.errors import NotFound, TurnConflict


def _turn(index: int, reply: str = "It sounds like that hurt.") -> Turn:
    return Turn(
        session_id="",
        index=index,
        reply=reply,
        behaviours=[{"code": "reflection", "evidence": "sounds like"}],
        rubrics={"reflection": {"score": 2, "reason": "names the hurt", "evidence": "that hurt"}},
        tip="Name the feeling too.",
        partner_text="Yes, it did.",
        state_after={"stage": "clarifying", "safety": 60},
        engine="rules",
    )


async def _tenant(db: AsyncSession, name: str) -> Tenant:
    tenant = await get_or_create_tenant(db, name)
    assert tenant.id is not None
    return tenant


async def _session(db: AsyncSession, tenant: Tenant, learner_id: str = "learner-1") -> PracticeSession:
    assert tenant.id is not None
    learner = await get_or_create_learner(db, tenant.id, learner_id, creator=("app", None))
    state: dict[str, Any] = {"stage": "sharing", "safety": 50}
    return await create_session(
        db, tenant_id=tenant.id, learner=learner, scenario_id="never-a-priority", status="active", state=state
    )


async def test_a_learner_id_is_one_learner_per_tenant(db: AsyncSession) -> None:
    app_a, app_b = await _tenant(db, "a"), await _tenant(db, "b")
    assert app_a.id is not None and app_b.id is not None
    first = await get_or_create_learner(db, app_a.id, "u1", creator=("app", None))
    again = await get_or_create_learner(db, app_a.id, "u1", creator=("app", None))
    elsewhere = await get_or_create_learner(db, app_b.id, "u1", creator=("app", None))
    await db.commit()
    assert first.id == again.id != elsewhere.id


async def test_a_session_is_found_by_its_tenant_only(db: AsyncSession) -> None:
    mine, theirs = await _tenant(db, "mine"), await _tenant(db, "theirs")
    session = await _session(db, mine)
    await db.commit()
    assert mine.id is not None and theirs.id is not None

    found, learner = await get_session(db, mine.id, session.id)
    assert found.id == session.id and learner.external_id == "learner-1"
    assert found.version == 1 and found.turn_count == 0 and found.state == {"stage": "sharing", "safety": 50}
    assert len(session.id) >= 20
    with pytest.raises(NotFound):
        await get_session(db, theirs.id, session.id)
    with pytest.raises(NotFound):
        await get_session(db, mine.id, "no-such-session")


async def test_recording_turns_moves_the_version_and_keeps_them_in_order(db: AsyncSession) -> None:
    tenant = await _tenant(db, "t")
    session = await _session(db, tenant)
    await db.commit()

    def turn(index: int) -> Callable[[Connection], None]:
        state = {"stage": "clarifying", "n": index}
        return lambda c: record_turn(c, session, _turn(index), state=state, status="active")

    for index in range(2):
        await write_transaction(db, turn(index))
    assert session.version == 3 and session.turn_count == 2

    assert tenant.id is not None
    reloaded, _ = await get_session(db, tenant.id, session.id)
    await db.refresh(reloaded)
    assert (reloaded.version, reloaded.turn_count, reloaded.state) == (3, 2, {"stage": "clarifying", "n": 1})
    turns = await list_turns(db, session.id)
    assert [t.index for t in turns] == [0, 1]
    assert turns[0].rubrics["reflection"]["score"] == 2 and turns[0].behaviours[0]["code"] == "reflection"


async def test_a_reply_that_lost_the_race_is_a_conflict_and_stores_nothing(db: AsyncSession) -> None:
    tenant = await _tenant(db, "t")
    session = await _session(db, tenant)
    await db.commit()
    stale = PracticeSession.model_validate(session.model_dump())
    session_id = session.id

    await write_transaction(
        db, lambda c: record_turn(c, session, _turn(0), state={"stage": "clarifying"}, status="active")
    )
    with pytest.raises(TurnConflict):
        await write_transaction(
            db, lambda c: record_turn(c, stale, _turn(0, "a second reply"), state={}, status="active")
        )
    assert [t.reply for t in await list_turns(db, session_id)] == ["It sounds like that hurt."]


async def test_a_turn_index_is_unique_per_session(db: AsyncSession) -> None:
    tenant = await _tenant(db, "t")
    session = await _session(db, tenant)
    db.add(_turn(0).model_copy(update={"session_id": session.id}))
    db.add(_turn(0).model_copy(update={"session_id": session.id}))
    with pytest.raises(IntegrityError):
        await db.commit()


async def test_an_idempotency_key_is_kept_once_per_tenant(db: AsyncSession) -> None:
    tenant = await _tenant(db, "t")
    session = await _session(db, tenant)
    assert tenant.id is not None
    response = {"turn": {"index": 0}, "session": {"status": "active"}}
    await db.commit()
    tenant_id, session_id = tenant.id, session.id

    def save(key: str, request_hash: str, response: dict[str, Any]) -> Callable[[Connection], None]:
        return lambda c: save_idempotency(
            c,
            tenant_id=tenant_id,
            key=key,
            request_hash=request_hash,
            session_id=session_id,
            response=response,
        )

    await write_transaction(db, save("k1", "h" * 64, response))

    found = await find_idempotency(db, tenant_id, "k1")
    assert found is not None and found.response == response and found.session_id == session_id
    assert await find_idempotency(db, tenant_id, "k2") is None
    with pytest.raises(IntegrityError):
        await write_transaction(db, save("k1", "x" * 64, {}))


async def test_deleting_a_learner_deletes_their_sessions_and_turns(db: AsyncSession) -> None:
    tenant = await _tenant(db, "t")
    gone = await _session(db, tenant, "leaving")
    kept = await _session(db, tenant, "staying")
    await db.commit()

    def both(connection: Connection) -> None:
        record_turn(connection, gone, _turn(0), state={}, status="active")
        record_turn(connection, kept, _turn(0), state={}, status="active")

    await write_transaction(db, both)
    assert tenant.id is not None

    assert await delete_learner(db, tenant.id, "leaving") == 1
    await db.commit()
    db.expunge_all()
    remaining = (await db.exec(select(PracticeSession.id))).all()
    assert list(remaining) == [kept.id]
    assert (await db.exec(select(func.count()).select_from(Turn))).one() == 1
    assert await delete_learner(db, tenant.id, "leaving") == 0


async def test_two_replies_at_once_store_one_turn_and_one_conflict(engine: AsyncEngine) -> None:
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as db:
        tenant = await _tenant(db, "t")
        session_id = (await _session(db, tenant)).id
        await db.commit()
    assert tenant.id is not None
    tenant_id = tenant.id

    both_have_read = asyncio.Barrier(2)

    async def reply(text: str) -> str:
        async with sessionmaker() as db:
            session, _ = await get_session(db, tenant_id, session_id)
            await db.commit()  # end the read, as a turn does before grading
            await both_have_read.wait()  # both requests saw version 1
            try:
                await write_transaction(
                    db,
                    lambda c: record_turn(
                        c, session, _turn(session.turn_count, text), state={}, status="active"
                    ),
                )
            except TurnConflict:
                return "conflict"
            return "stored"

    outcomes = await asyncio.gather(reply("first"), reply("second"))
    assert sorted(outcomes) == ["conflict", "stored"]
    async with sessionmaker() as db:
        assert len(await list_turns(db, session_id)) == 1


async def test_a_turn_reads_its_session_history_and_key_in_one_go(db: AsyncSession) -> None:
    tenant, other = await _tenant(db, "t"), await _tenant(db, "other")
    first, second = await _session(db, tenant), await _session(db, tenant, "learner-2")
    await db.commit()
    assert tenant.id is not None and other.id is not None
    tenant_id, first_id = tenant.id, first.id

    empty = await read_turn_context(db, tenant_id, first_id, "k1")
    assert (empty.session.id, empty.learner.external_id) == (first_id, "learner-1")
    assert empty.exchanges == [] and empty.known_key is None

    def store(connection: Connection) -> None:
        record_turn(connection, first, _turn(0, "one"), state={}, status="active")
        record_turn(connection, first, _turn(1, "two"), state={}, status="active")
        save_idempotency(
            connection, tenant_id=tenant_id, key="k1", request_hash="h", session_id=second.id, response={}
        )

    await write_transaction(db, store)
    context = await read_turn_context(db, tenant_id, first_id, "k1")
    assert context.exchanges == [("one", "Yes, it did."), ("two", "Yes, it did.")]
    # The key was used on another of the tenant's sessions: the caller sees it and compares hashes.
    assert context.known_key is not None and context.known_key.session_id == second.id
    assert (await read_turn_context(db, tenant_id, first_id)).known_key is None
    with pytest.raises(NotFound):
        await read_turn_context(db, other.id, first_id, "k1")
