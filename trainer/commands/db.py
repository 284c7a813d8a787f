"""``trainer db upgrade | current``: the database schema, under Alembic."""

from __future__ import annotations

import argparse
import asyncio

from trainer.settings import Settings
from trainer.store.db import engine_for
from trainer.store.migrate import current_revision, head_revision, upgrade


async def _upgrade(settings: Settings) -> str | None:
    async with engine_for(settings.database_url) as engine:
        await upgrade(engine)
        return await current_revision(engine)


async def _current(settings: Settings) -> str | None:
    async with engine_for(settings.database_url) as engine:
        return await current_revision(engine)


def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.action == "upgrade":
        revision = asyncio.run(_upgrade(settings))
        print(f"database at revision {revision} (head)")
        return 0
    revision = asyncio.run(_current(settings))
    head = head_revision()
    if revision is None:
        print(f"database not migrated (head is {head}); run: trainer db upgrade")
        return 1
    print(f"{revision}{' (head)' if revision == head else f' (head is {head}; run: trainer db upgrade)'}")
    return 0
