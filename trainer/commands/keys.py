"""``trainer keys create | list | revoke``: API keys, stored hashed, one tenant each."""

from __future__ import annotations

import argparse
import asyncio
import sys

from trainer.settings import Settings
from trainer.store.db import create_sessionmaker, engine_for
from trainer.store.keys import NewKey, create_key, list_keys, revoke_key
from trainer.store.tables import Role
from trainer.vocabulary.errors import NotFound


async def _create(settings: Settings, name: str, role: Role, tenant: str | None) -> NewKey:
    async with engine_for(settings.database_url) as engine, create_sessionmaker(engine)() as db:
        created = await create_key(db, name=name, role=role, tenant=tenant)
        await db.commit()
        return created


async def _list(settings: Settings) -> list[str]:
    async with engine_for(settings.database_url) as engine, create_sessionmaker(engine)() as db:
        rows = await list_keys(db)
    lines = [f"{'PREFIX':<10} {'NAME':<24} {'ROLE':<12} {'TENANT':<24} {'CREATED':<20} REVOKED"]
    for key, tenant in rows:
        revoked = key.revoked_at.strftime("%Y-%m-%d %H:%M") if key.revoked_at else "-"
        created = key.created_at.strftime("%Y-%m-%d %H:%M")
        lines.append(
            f"{key.prefix:<10} {key.name:<24} {key.role:<12} {tenant.name:<24} {created:<20} {revoked}"
        )
    return lines


async def _revoke(settings: Settings, prefix: str) -> None:
    async with engine_for(settings.database_url) as engine, create_sessionmaker(engine)() as db:
        await revoke_key(db, prefix)
        await db.commit()


def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.action == "create":
        created = asyncio.run(_create(settings, args.name, Role(args.role), args.tenant))
        print(f"created {created.key.role} key {created.key.prefix!r} for tenant {created.tenant.name!r}.")
        print("Keep it now: only its hash is stored. Use it as: Authorization: Bearer KEY")
        print(created.token)
        return 0
    if args.action == "list":
        print("\n".join(asyncio.run(_list(settings))))
        return 0
    try:
        asyncio.run(_revoke(settings, args.prefix))
    except NotFound as error:
        print(f"trainer keys revoke: {error.detail}", file=sys.stderr)
        return 1
    print(f"revoked key {args.prefix!r}")
    if settings.key_cache_seconds > 0:
        print(
            f"Running servers stop accepting it within {settings.key_cache_seconds:g} s "
            "(TRAINER_KEY_CACHE_SECONDS)."
        )
    return 0
