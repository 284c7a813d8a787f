"""The async database engine: SQLite (WAL, busy timeout, foreign keys) or PostgreSQL (a pool).

SQLite lets one writer in at a time, and a transaction that read before it writes can fail at once
("database is locked") when another writer got in first; its busy handler also sleeps and retries
unfairly, so under load some writers starve past the busy timeout. Within a worker, write
transactions therefore queue on one asyncio lock (``writing``), first come first served; readers
never wait (WAL). PostgreSQL needs none of this: ``writing`` is a no-op there.

The lock is held for as long as the transaction takes, and through aiosqlite every statement is
several hand-offs to its thread, each waiting for a busy event loop to come round again. The
hottest write, a turn, is therefore a ``write_transaction``: plain statements that a worker's one
SQLite writer thread runs from BEGIN to COMMIT in a single hand-off (``SqliteWriter``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.settings import normalise_database_url

SQLITE_BUSY_TIMEOUT_MS = 5000

Sessionmaker = async_sessionmaker[AsyncSession]
T = TypeVar("T")


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


def create_engine(database_url: str, *, pool_size: int = 20, max_overflow: int = 10) -> AsyncEngine:
    """An async engine for ``database_url``; a SQLite file's folder is created when missing.

    ``pool_size`` connections stay open; up to ``max_overflow`` more are opened for a burst and
    closed again, which costs a PostgreSQL connection set-up each: size the pool for the usual load.
    """
    url = make_url(normalise_database_url(database_url))
    if url.get_backend_name() == "sqlite":
        in_memory = not url.database or url.database == ":memory:"
        if in_memory:
            engine = create_async_engine(url)
        else:
            Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
            # Sessions end every transaction themselves (commit, or rollback on close); the pool's own
            # rollback on return would be one more hand-off to aiosqlite's thread per request.
            engine = create_async_engine(
                url, pool_size=pool_size, max_overflow=max_overflow, pool_reset_on_return=None
            )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True, pool_recycle=1800
    )


_WRITE_LOCK = "trainer.write_lock"
_WRITER = "trainer.sqlite_writer"


class SqliteWriter:
    """Whole write transactions on one thread with its own connection: one hand-off each.

    The thread and its connection start with the first transaction, and close when the async
    engine is disposed of.
    """

    def __init__(self, url: URL) -> None:
        self._url = url.set(drivername="sqlite+pysqlite")
        self._engine: sa.Engine | None = None
        self._thread: ThreadPoolExecutor | None = None

    async def run(self, work: Callable[[Connection], T]) -> T:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        return await asyncio.get_running_loop().run_in_executor(self._thread, self._transaction, work)

    def _transaction(self, work: Callable[[Connection], T]) -> T:
        if self._engine is None:
            self._engine = sa.create_engine(self._url, connect_args={"check_same_thread": False})
            event.listen(self._engine, "connect", _sqlite_pragmas)
        with self._engine.begin() as connection:
            return work(connection)

    def close(self, *_: Any) -> None:
        if self._thread is None:
            return
        if self._engine is not None:
            self._thread.submit(self._engine.dispose).result()
        self._thread.shutdown(wait=True)
        self._thread, self._engine = None, None


def create_sessionmaker(engine: AsyncEngine) -> Sessionmaker:
    info: dict[str, Any] = {}
    if engine.dialect.name == "sqlite":
        info[_WRITE_LOCK] = asyncio.Lock()
        if engine.url.database and engine.url.database != ":memory:":
            writer = SqliteWriter(engine.url)
            event.listen(engine.sync_engine, "engine_disposed", writer.close)
            info[_WRITER] = writer
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


async def write_transaction(db: AsyncSession, work: Callable[[Connection], T]) -> T:
    """Run ``work`` (plain statements on a connection) as one committed transaction, or none of it.

    SQLite: on the worker's writer thread, in one hand-off, inside the write gate. Otherwise on the
    request's own session, whose transaction it commits (or rolls back when ``work`` raises).
    """
    writer: SqliteWriter | None = db.info.get(_WRITER)
    async with writing(db):
        if writer is not None:
            return await writer.run(work)
        try:
            done = await db.run_sync(lambda session: work(session.connection()))
            await db.commit()
        except BaseException:
            await db.rollback()
            raise
    return done


@asynccontextmanager
async def engine_for(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine for a one-off job (a CLI command), disposed of at the end."""
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()
