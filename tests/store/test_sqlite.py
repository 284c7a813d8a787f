"""SQLite is set up for a server: WAL, a busy timeout, and foreign keys enforced."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from trainer.store.db import SQLITE_BUSY_TIMEOUT_MS, create_engine, create_sessionmaker
from trainer.store.migrate import upgrade
from trainer.store.tables import Learner


async def test_every_connection_has_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'nested' / 'trainer.db'}")
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == SQLITE_BUSY_TIMEOUT_MS
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await engine.dispose()
    assert (tmp_path / "nested" / "trainer.db").exists()


async def test_a_row_pointing_at_no_tenant_is_refused(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'trainer.db'}")
    try:
        await upgrade(engine)
        async with create_sessionmaker(engine)() as db:
            db.add(Learner(tenant_id=999, external_id="ghost"))
            with pytest.raises(IntegrityError):
                await db.commit()
    finally:
        await engine.dispose()
