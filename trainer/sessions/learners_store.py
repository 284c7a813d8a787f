"""Reads and deletions over a learner's sessions: pages, progress, and erasing a learner.

Like ``trainer.sessions.store`` these take the caller's tenant on every query, flush but never
commit, and leave the transaction to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.store.cohort_tables import CohortMember, WebPass
from trainer.store.tables import IdempotencyKey, Learner, PracticeSession, Turn


async def find_learner(db: AsyncSession, tenant_id: int, external_id: str) -> Learner | None:
    query = select(Learner).where(Learner.tenant_id == tenant_id, Learner.external_id == external_id)
    return (await db.exec(query)).first()


async def sessions_page(
    db: AsyncSession,
    learner: Learner,
    *,
    limit: int,
    before: tuple[datetime, str] | None = None,
) -> list[PracticeSession]:
    """Up to ``limit`` of the learner's sessions, newest first, strictly after the ``before`` cursor.

    The order is (created_at, id) descending, so that sessions created in the same instant still
    page without gaps or repeats.
    """
    query = select(PracticeSession).where(
        PracticeSession.tenant_id == learner.tenant_id, PracticeSession.learner_id == learner.id
    )
    if before is not None:
        created_at, session_id = before
        query = query.where(
            sa.or_(
                col(PracticeSession.created_at) < created_at,
                sa.and_(col(PracticeSession.created_at) == created_at, col(PracticeSession.id) < session_id),
            )
        )
    query = query.order_by(col(PracticeSession.created_at).desc(), col(PracticeSession.id).desc()).limit(
        limit
    )
    return list((await db.exec(query)).all())


async def active_session(db: AsyncSession, learner: Learner, scenario_id: str) -> PracticeSession | None:
    """The learner's newest session of ``scenario_id`` that still takes replies, if any."""
    query = (
        select(PracticeSession)
        .where(
            PracticeSession.tenant_id == learner.tenant_id,
            PracticeSession.learner_id == learner.id,
            PracticeSession.scenario_id == scenario_id,
            PracticeSession.status == "active",
            col(PracticeSession.ended_at).is_(None),
        )
        .order_by(col(PracticeSession.created_at).desc(), col(PracticeSession.id).desc())
        .limit(1)
    )
    return (await db.exec(query)).first()


async def learner_sessions(db: AsyncSession, learner: Learner) -> list[PracticeSession]:
    """Every session of the learner, oldest first."""
    query = (
        select(PracticeSession)
        .where(PracticeSession.tenant_id == learner.tenant_id, PracticeSession.learner_id == learner.id)
        .order_by(col(PracticeSession.created_at), col(PracticeSession.id))
    )
    return list((await db.exec(query)).all())


async def turns_of(db: AsyncSession, session_ids: Sequence[str]) -> dict[str, list[Turn]]:
    """The turns of several sessions at once, each list in turn order."""
    found: dict[str, list[Turn]] = {session_id: [] for session_id in session_ids}
    if not session_ids:
        return found
    query = (
        select(Turn)
        .where(col(Turn.session_id).in_(list(session_ids)))
        .order_by(col(Turn.session_id), col(Turn.index))
    )
    for turn in (await db.exec(query)).all():
        found[turn.session_id].append(turn)
    return found


async def erase_learner(db: AsyncSession, tenant_id: int, external_id: str) -> bool:
    """Delete the learner with every session, turn and idempotency record. False when there is none.

    Cohort memberships (which hold the learner's display name) and their web passes go too. The rows go
    explicitly, children first, rather than trusting ``ON DELETE CASCADE`` alone: an
    erasure request must leave nothing behind even on a database where foreign keys are off.
    """
    learner = await find_learner(db, tenant_id, external_id)
    if learner is None:
        return False
    owned = (
        select(PracticeSession.id)
        .where(PracticeSession.tenant_id == tenant_id, PracticeSession.learner_id == learner.id)
        .scalar_subquery()
    )
    await db.exec(sa.delete(IdempotencyKey).where(col(IdempotencyKey.session_id).in_(owned)))
    await db.exec(sa.delete(Turn).where(col(Turn.session_id).in_(owned)))
    await db.exec(
        sa.delete(PracticeSession).where(
            col(PracticeSession.tenant_id) == tenant_id, col(PracticeSession.learner_id) == learner.id
        )
    )
    members = select(CohortMember.id).where(CohortMember.learner_id == learner.id).scalar_subquery()
    await db.exec(sa.delete(WebPass).where(col(WebPass.member_id).in_(members)))
    await db.exec(sa.delete(CohortMember).where(col(CohortMember.learner_id) == learner.id))
    await db.exec(sa.delete(Learner).where(col(Learner.id) == learner.id))
    await db.flush()
    return True
