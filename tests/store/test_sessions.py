"""Learners, sessions, turns and idempotency records: tenant-scoped, versioned, cascading."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.errors import NotFound, TurnConflict
from trainer.store.db import create_sessionmaker
from trainer.store.keys import get_or_create_tenant
from trainer.store.sessions import (
    create_session,
    delete_learner,
    find_idempotency,
    get_or_create_learner,
    get_session,
    list_turns,
    record_turn,
    save_idempotency,
)
from trainer.store.tables import PracticeSession, Tenant, Turn


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
    learner = await get_or_create_learner(db, tenant.id, learner_id)
    state: dict[str, Any] = {"stage": "sharing", "safety": 50}
    return await create_session(
        db, tenant_id=tenant.id, learner=learner, scenario_id="never-a-priority", status="active", state=state
    )


async def test_a_learner_id_is_one_learner_per_tenant(db: AsyncSession) -> None:
    app_a, app_b = await _tenant(db, "a"), await _tenant(db, "b")
    assert app_a.id is not None and app_b.id is not None
    first = await get_or_create_learner(db, app_a.id, "u1")
    again = await get_or_create_learner(db, app_a.id, "u1")
    elsewhere = await get_or_create_learner(db, app_b.id, "u1")
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

    for index in range(2):
        await record_turn(
            db, session, _turn(index), state={"stage": "clarifying", "n": index}, status="active"
        )
        await db.commit()
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

    await record_turn(db, session, _turn(0), state={"stage": "clarifying"}, status="active")
    await db.commit()
    with pytest.raises(TurnConflict):
        await record_turn(db, stale, _turn(0, "a second reply"), state={"stage": "x"}, status="active")
    await db.rollback()
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
    await save_idempotency(
        db, tenant_id=tenant.id, key="k1", request_hash="h" * 64, session_id=session.id, response=response
    )
    await db.commit()

    found = await find_idempotency(db, tenant.id, "k1")
    assert found is not None and found.response == response and found.session_id == session.id
    assert await find_idempotency(db, tenant.id, "k2") is None
    with pytest.raises(IntegrityError):
        await save_idempotency(
            db, tenant_id=tenant.id, key="k1", request_hash="x" * 64, session_id=session.id, response={}
        )


async def test_deleting_a_learner_deletes_their_sessions_and_turns(db: AsyncSession) -> None:
    tenant = await _tenant(db, "t")
    gone = await _session(db, tenant, "leaving")
    kept = await _session(db, tenant, "staying")
    await db.commit()
    await record_turn(db, gone, _turn(0), state={}, status="active")
    await record_turn(db, kept, _turn(0), state={}, status="active")
    await db.commit()
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
                await record_turn(db, session, _turn(session.turn_count, text), state={}, status="active")
                await db.commit()
            except TurnConflict:
                await db.rollback()
                return "conflict"
            return "stored"

    outcomes = await asyncio.gather(reply("first"), reply("second"))
    assert sorted(outcomes) == ["conflict", "stored"]
    async with sessionmaker() as db:
        assert len(await list_turns(db, session_id)) == 1
