"""The framework's own ceiling: a bare Litestar endpoint that does one insert in the same database.

``POST /hit`` ``{"text": ...}`` inserts one row (through the trainer's own ``create_engine``, so the
same SQLite pragmas or PostgreSQL pool) and answers 201 ``{"id": ...}``. No auth, no validation
beyond the body model, no domain: what a turn costs above this is the trainer's own work.
Run: ``TRAINER_DATABASE_URL=... uvicorn --app-dir bench bare_app:create --factory --port 9200``.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from litestar import Litestar, get, post
from litestar.datastructures import State
from pydantic import BaseModel, ConfigDict, Field
from server_timing import ServerTiming

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.settings import Settings
from trainer.store.db import create_engine

METADATA = sa.MetaData()
HITS = sa.Table(
    "bench_hits",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("text", sa.String(2000), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)


class Hit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)


class Stored(BaseModel):
    id: int


@post("/hit", status_code=201)
async def hit(data: Hit, state: State) -> Stored:
    async with state.engine.begin() as connection:
        result = await connection.execute(sa.insert(HITS).values(text=data.text).returning(HITS.c.id))
        return Stored(id=int(result.scalar_one()))


@get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def create() -> ServerTiming:
    settings = Settings()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        async with engine.begin() as connection:
            await connection.run_sync(METADATA.drop_all)
            await connection.run_sync(METADATA.create_all)
        app.state.engine = engine
        try:
            yield
        finally:
            async with engine.begin() as connection:
                await connection.run_sync(METADATA.drop_all)
            await engine.dispose()

    app = Litestar(route_handlers=[hit, healthz], lifespan=[lifespan], logging_config=None, debug=False)
    return ServerTiming(app)
