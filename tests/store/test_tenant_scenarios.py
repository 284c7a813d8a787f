"""Tenants' own scenarios in storage: versions per tenant, the newest of each, retiring, and the
catalogue that resolves an id (and a session's version) for one tenant. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.conftest import make_scenario
from trainer.content import scenario_store as repo
from trainer.content.catalogue import Source, catalogue, find_scenario, session_scenario
from trainer.content.library import ContentLibrary
from trainer.content.rubric import load_rubrics
from trainer.settings import Settings
from trainer.store.keys import get_or_create_tenant
from trainer.store.tables import PracticeSession
from trainer.vocabulary.errors import NotFound, ScenarioRetired


def library() -> ContentLibrary:
    return ContentLibrary(
        scenarios={"test-partner": make_scenario()}, rubrics=load_rubrics(Settings().rubrics_path)
    )


async def tenants(db: AsyncSession) -> tuple[int, int]:
    first, second = await get_or_create_tenant(db, "clinic"), await get_or_create_tenant(db, "school")
    assert first.id is not None and second.id is not None
    return first.id, second.id


async def add(db: AsyncSession, tenant_id: int, version: int, title: str) -> None:
    document = make_scenario("own-one", title=title).model_dump(mode="json")
    await repo.add_version(
        db, tenant_id=tenant_id, scenario_id="own-one", version=version, document=document, key_id=None
    )


async def test_versions_are_per_tenant_and_the_newest_is_current(db: AsyncSession) -> None:
    clinic, school = await tenants(db)
    await add(db, clinic, 1, "First try")
    await add(db, clinic, 2, "Second try")
    await add(db, school, 1, "The school's")
    await db.commit()
    content = library()
    assert (await find_scenario(db, content, clinic, "own-one", None)).title == "Second try"
    assert (await find_scenario(db, content, clinic, "own-one", 1)).title == "First try"
    assert (await find_scenario(db, content, school, "own-one", None)).title == "The school's"
    with pytest.raises(NotFound):
        await find_scenario(db, content, school, "own-one", 2)
    listed = await catalogue(db, content, clinic)
    assert [(e.scenario.id, e.source, e.version) for e in listed] == [
        ("test-partner", Source.builtin, None),
        ("own-one", Source.tenant, 2),
    ]


async def test_a_version_is_stored_once(db: AsyncSession) -> None:
    clinic, _ = await tenants(db)
    await add(db, clinic, 1, "First try")
    await db.commit()
    with pytest.raises(IntegrityError):
        await add(db, clinic, 1, "Again")
    await db.rollback()


async def test_retired_is_gone_for_new_sessions_but_not_for_started_ones(db: AsyncSession) -> None:
    clinic, school = await tenants(db)
    await add(db, clinic, 1, "First try")
    await add(db, school, 1, "The school's")
    await db.commit()
    assert await repo.retire(db, clinic, "own-one") == 1
    await db.commit()
    content = library()
    with pytest.raises(ScenarioRetired):
        await find_scenario(db, content, clinic, "own-one", None)
    assert [e.scenario.id for e in await catalogue(db, content, clinic)] == ["test-partner"]
    assert [e.scenario.id for e in await catalogue(db, content, school)] == ["test-partner", "own-one"]
    started = PracticeSession(
        tenant_id=clinic, learner_id=0, scenario_id="own-one", scenario_version=1, status="active", state={}
    )
    assert (await session_scenario(db, content, started)).title == "First try"
    builtin = PracticeSession(
        tenant_id=clinic, learner_id=0, scenario_id="test-partner", status="active", state={}
    )
    assert await session_scenario(db, content, builtin) is content.scenarios["test-partner"]
    assert await repo.retire(db, clinic, "own-one") == 0
