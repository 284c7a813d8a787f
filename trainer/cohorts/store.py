"""Cohorts, join codes, members and web passes: small async reads and writes.

Every cohort read takes the caller's tenant: another tenant's cohort is simply not found. Repository
functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.store.cohort_tables import Cohort, CohortMember, JoinCode, WebPass
from trainer.store.tables import Learner, PracticeSession, Turn, utcnow


async def create_cohort(
    db: AsyncSession, *, tenant_id: int, owner_key_id: int, name: str, scenarios: list[str]
) -> Cohort:
    cohort = Cohort(tenant_id=tenant_id, owner_key_id=owner_key_id, name=name, scenarios=scenarios)
    db.add(cohort)
    await db.flush()
    return cohort


async def find_cohort(db: AsyncSession, tenant_id: int, cohort_id: int) -> Cohort | None:
    query = select(Cohort).where(Cohort.id == cohort_id, Cohort.tenant_id == tenant_id)
    return (await db.exec(query)).first()


async def list_cohorts(db: AsyncSession, tenant_id: int, owner_key_id: int | None) -> list[Cohort]:
    """The tenant's cohorts, newest first; only ``owner_key_id``'s when given."""
    query = select(Cohort).where(Cohort.tenant_id == tenant_id)
    if owner_key_id is not None:
        query = query.where(Cohort.owner_key_id == owner_key_id)
    return list((await db.exec(query.order_by(col(Cohort.id).desc()))).all())


async def live_code(db: AsyncSession, cohort_id: int) -> JoinCode | None:
    query = select(JoinCode).where(JoinCode.cohort_id == cohort_id, col(JoinCode.revoked_at).is_(None))
    return (await db.exec(query.order_by(col(JoinCode.id).desc()))).first()


async def find_code(db: AsyncSession, code: str) -> JoinCode | None:
    return (await db.exec(select(JoinCode).where(JoinCode.code == code))).first()


async def add_code(db: AsyncSession, cohort_id: int, code: str) -> JoinCode:
    join_code = JoinCode(cohort_id=cohort_id, code=code)
    db.add(join_code)
    await db.flush()
    return join_code


async def revoke_codes(db: AsyncSession, cohort_id: int, code: str | None = None) -> int:
    """Revoke the cohort's live codes (or just ``code``). Returns how many were live."""
    query = sa.update(JoinCode).where(
        col(JoinCode.cohort_id) == cohort_id, col(JoinCode.revoked_at).is_(None)
    )
    if code is not None:
        query = query.where(col(JoinCode.code) == code)
    result = await db.exec(query.values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    await db.flush()
    return int(result.rowcount)


async def find_member(db: AsyncSession, cohort_id: int, learner_id: int) -> CohortMember | None:
    query = select(CohortMember).where(
        CohortMember.cohort_id == cohort_id, CohortMember.learner_id == learner_id
    )
    return (await db.exec(query)).first()


async def get_member(db: AsyncSession, member_id: int) -> CohortMember | None:
    return await db.get(CohortMember, member_id)


async def add_member(
    db: AsyncSession,
    *,
    cohort_id: int,
    learner_id: int,
    display_name: str,
    joined_via: str,
    added_by_role: str | None,
    added_by_key_id: int | None,
) -> CohortMember:
    member = CohortMember(
        cohort_id=cohort_id,
        learner_id=learner_id,
        display_name=display_name,
        joined_via=joined_via,
        added_by_role=added_by_role,
        added_by_key_id=added_by_key_id,
    )
    db.add(member)
    await db.flush()
    return member


async def member_names(db: AsyncSession, cohort_id: int) -> list[tuple[int, str]]:
    """Every member's (id, display name), in the order they joined."""
    query = (
        select(CohortMember.id, CohortMember.display_name)
        .where(CohortMember.cohort_id == cohort_id)
        .order_by(col(CohortMember.id))
    )
    return [(member_id, name) for member_id, name in (await db.exec(query)).all() if member_id is not None]


async def count_members(db: AsyncSession, cohort_id: int) -> int:
    query = select(sa.func.count()).select_from(CohortMember).where(col(CohortMember.cohort_id) == cohort_id)
    return int((await db.exec(query)).one())


async def remove_member(db: AsyncSession, cohort_id: int, member_id: int) -> bool:
    """Take the member out of the cohort (their passes end with it); the learner stays."""
    result = await db.exec(
        sa.delete(CohortMember).where(
            col(CohortMember.id) == member_id, col(CohortMember.cohort_id) == cohort_id
        )
    )
    await db.flush()
    return bool(result.rowcount)


async def members_with_learners(db: AsyncSession, cohort_id: int) -> list[tuple[CohortMember, Learner]]:
    query = (
        select(CohortMember, Learner)
        .join(Learner, col(CohortMember.learner_id) == col(Learner.id))
        .where(CohortMember.cohort_id == cohort_id)
        .order_by(col(CohortMember.id))
    )
    return list((await db.exec(query)).all())


async def sessions_of_learners(
    db: AsyncSession, tenant_id: int, learner_ids: Sequence[int], scenario_ids: Sequence[str]
) -> list[PracticeSession]:
    """The learners' sessions on these scenarios, oldest first."""
    if not learner_ids:
        return []
    query = (
        select(PracticeSession)
        .where(
            PracticeSession.tenant_id == tenant_id,
            col(PracticeSession.learner_id).in_(list(learner_ids)),
            col(PracticeSession.scenario_id).in_(list(scenario_ids)),
        )
        .order_by(col(PracticeSession.created_at), col(PracticeSession.id))
    )
    return list((await db.exec(query)).all())


async def turn_scores(
    db: AsyncSession, session_ids: Sequence[str]
) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """``(session_id, rubrics, state_after)`` of the sessions' turns in turn order; no text is read."""
    if not session_ids:
        return []
    query = (
        select(Turn.session_id, Turn.rubrics, Turn.state_after)
        .where(col(Turn.session_id).in_(list(session_ids)))
        .order_by(col(Turn.session_id), col(Turn.index))
    )
    return [(row[0], dict(row[1]), dict(row[2])) for row in (await db.exec(query)).all()]


async def add_pass(
    db: AsyncSession,
    *,
    token_hash: str,
    kind: str,
    expires_at: datetime,
    member_id: int | None = None,
    api_key_id: int | None = None,
) -> WebPass:
    web_pass = WebPass(
        token_hash=token_hash, kind=kind, expires_at=expires_at, member_id=member_id, api_key_id=api_key_id
    )
    db.add(web_pass)
    await db.flush()
    return web_pass


async def find_pass(db: AsyncSession, token_hash: str) -> WebPass | None:
    return (await db.exec(select(WebPass).where(WebPass.token_hash == token_hash))).first()


async def delete_pass(db: AsyncSession, token_hash: str) -> None:
    await db.exec(sa.delete(WebPass).where(col(WebPass.token_hash) == token_hash))
    await db.flush()


async def delete_expired_passes(db: AsyncSession, now: datetime) -> int:
    result = await db.exec(sa.delete(WebPass).where(col(WebPass.expires_at) < now))
    return int(result.rowcount)
