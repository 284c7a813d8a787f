"""The async database engine: SQLite (WAL, busy timeout, foreign keys) or PostgreSQL (a pool).

SQLite lets one writer in at a time, and a transaction that read before it writes can fail at once
("database is locked") when another writer got in first; its busy handler also sleeps and retries
unfairly, so under load some writers starve past the busy timeout. Within a worker, write
transactions therefore queue on one asyncio lock (``writing``), first come first served; readers
never wait (WAL). PostgreSQL needs none of this: ``writing`` is a no-op there.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.settings import normalise_database_url

SQLITE_BUSY_TIMEOUT_MS = 5000

Sessionmaker = async_sessionmaker[AsyncSession]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL + NORMAL: a committed transaction survives a process crash (only an OS crash can lose it).
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_engine(database_url: str, *, pool_size: int = 10, max_overflow: int = 20) -> AsyncEngine:
    """An async engine for ``database_url``; a SQLite file's folder is created when missing."""
    url = make_url(normalise_database_url(database_url))
    if url.get_backend_name() == "sqlite":
        in_memory = not url.database or url.database == ":memory:"
        if in_memory:
            engine = create_async_engine(url)
        else:
            Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
            engine = create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True, pool_recycle=1800
    )


_WRITE_LOCK = "trainer.write_lock"


def create_sessionmaker(engine: AsyncEngine) -> Sessionmaker:
    info = {_WRITE_LOCK: asyncio.Lock()} if engine.dialect.name == "sqlite" else {}
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False, info=info)


@asynccontextmanager
async def writing(db: AsyncSession) -> AsyncIterator[None]:
    """Hold the worker's write gate for one write transaction (SQLite only): begin, write, commit inside."""
    lock: asyncio.Lock | None = db.info.get(_WRITE_LOCK)
    if lock is None:
        yield
        return
    async with lock:
        yield


@asynccontextmanager
async def engine_for(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine for a one-off job (a CLI command), disposed of at the end."""
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()
