"""The schema comes from the migrations, and the migrations match the models, on every database."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from trainer.store.db import create_engine
from trainer.store.migrate import current_revision, head_revision, upgrade
from trainer.store.tables import metadata


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_a_new_database_is_not_migrated(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert await current_revision(engine) is None
    finally:
        await engine.dispose()


async def test_upgrade_reaches_head_and_creates_every_table(engine: AsyncEngine) -> None:
    assert head_revision() is not None
    assert await current_revision(engine) == head_revision()
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert {"tenants", "api_keys", "learners", "sessions", "turns", "idempotency_keys"} <= tables


async def test_upgrade_twice_is_a_no_op(engine: AsyncEngine) -> None:
    await upgrade(engine)
    assert await current_revision(engine) == head_revision()


async def test_migrations_match_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(_differences)
    assert differences == []


async def test_a_model_change_without_a_migration_is_detected(engine: AsyncEngine) -> None:
    """The comparison above can fail: a column the migrations never created shows up."""
    async with engine.begin() as connection:
        await connection.execute(text("ALTER TABLE learners DROP COLUMN created_at"))
    async with engine.connect() as connection:
        differences = await connection.run_sync(_differences)
    assert any(d[0] == "add_column" and d[2] == "learners" and d[3].name == "created_at" for d in differences)
