"""Storage of tenants' own scenarios (``tenant_scenarios``): small async functions that flush but
never commit (the caller owns the transaction). Every query is scoped by tenant."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.store.tables import TenantScenario, utcnow


async def latest_version(db: AsyncSession, tenant_id: int, scenario_id: str) -> TenantScenario | None:
    """The newest version of the tenant's scenario (retired or not), or None."""
    query = (
        select(TenantScenario)
        .where(TenantScenario.tenant_id == tenant_id, TenantScenario.scenario_id == scenario_id)
        .order_by(col(TenantScenario.version).desc())
        .limit(1)
    )
    return (await db.exec(query)).first()


async def find_version(
    db: AsyncSession, tenant_id: int, scenario_id: str, version: int
) -> TenantScenario | None:
    query = select(TenantScenario).where(
        TenantScenario.tenant_id == tenant_id,
        TenantScenario.scenario_id == scenario_id,
        TenantScenario.version == version,
    )
    return (await db.exec(query)).first()


async def latest_versions(db: AsyncSession, tenant_id: int) -> list[TenantScenario]:
    """The newest version of each of the tenant's scenarios, retired ones included."""
    newest = (
        select(TenantScenario.scenario_id, sa.func.max(TenantScenario.version).label("version"))
        .where(TenantScenario.tenant_id == tenant_id)
        .group_by(col(TenantScenario.scenario_id))
        .subquery()
    )
    query = (
        select(TenantScenario)
        .join(
            newest,
            sa.and_(
                col(TenantScenario.scenario_id) == newest.c.scenario_id,
                col(TenantScenario.version) == newest.c.version,
            ),
        )
        .where(TenantScenario.tenant_id == tenant_id)
        .order_by(col(TenantScenario.scenario_id))
    )
    return list((await db.exec(query)).all())


async def live_scenarios(db: AsyncSession, tenant_id: int) -> list[TenantScenario]:
    """The current version of each of the tenant's scenarios that is not retired."""
    return [row for row in await latest_versions(db, tenant_id) if row.retired_at is None]


async def add_version(
    db: AsyncSession,
    *,
    tenant_id: int,
    scenario_id: str,
    version: int,
    document: dict[str, Any],
    key_id: int | None,
) -> TenantScenario:
    row = TenantScenario(
        tenant_id=tenant_id,
        scenario_id=scenario_id,
        version=version,
        document=document,
        created_by_key_id=key_id,
    )
    db.add(row)
    await db.flush()
    return row


async def retire(db: AsyncSession, tenant_id: int, scenario_id: str) -> int:
    """Mark every live version of the scenario retired; how many rows changed."""
    result = await db.exec(
        sa.update(TenantScenario)
        .where(
            col(TenantScenario.tenant_id) == tenant_id,
            col(TenantScenario.scenario_id) == scenario_id,
            col(TenantScenario.retired_at).is_(None),
        )
        .values(retired_at=utcnow())
    )
    return int(result.rowcount or 0)
