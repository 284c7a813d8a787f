"""API keys and tenants: create, look up by token, list, revoke.

A key reads ``trn_<prefix>_<secret>``. The prefix (8 hex characters) is stored in clear for the
lookup and for ``keys revoke``; the whole key is stored only as its sha256 digest. sha256 (not a slow
password hash) is right here: the secret is 256 random bits, so there is nothing to brute-force.

Repository functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.store.tables import ApiKey, Role, Tenant, utcnow
from trainer.vocabulary.errors import NotFound

KEY_SCHEME = "trn"
PREFIX_BYTES = 4
SECRET_BYTES = 32


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    tenant: Tenant
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def generate_token() -> tuple[str, str]:
    """A fresh ``(prefix, token)``."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    return prefix, f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"


def prefix_of(token: str) -> str | None:
    """The lookup prefix of a well-formed token, or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME or len(parts[1]) != 2 * PREFIX_BYTES or not parts[2]:
        return None
    return parts[1]


async def get_or_create_tenant(db: AsyncSession, name: str) -> Tenant:
    tenant = (await db.exec(select(Tenant).where(Tenant.name == name))).first()
    if tenant is None:
        tenant = Tenant(name=name)
        db.add(tenant)
        await db.flush()
    return tenant


async def create_key(
    db: AsyncSession, *, name: str, role: Role = Role.app, tenant: str | None = None
) -> NewKey:
    """A new key for ``tenant`` (created when missing; default: a tenant named like the key)."""
    owner = await get_or_create_tenant(db, tenant or name)
    assert owner.id is not None
    prefix, token = generate_token()
    key = ApiKey(tenant_id=owner.id, name=name, role=role.value, prefix=prefix, hash=hash_token(token))
    db.add(key)
    await db.flush()
    return NewKey(key=key, tenant=owner, token=token)


async def find_key_by_token(db: AsyncSession, token: str) -> ApiKey | None:
    """The live (not revoked) key whose token this is, or None. Constant-time on the secret."""
    prefix = prefix_of(token)
    if prefix is None:
        return None
    key = (await db.exec(select(ApiKey).where(ApiKey.prefix == prefix))).first()
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.hash, hash_token(token)):
        return None
    return key


async def list_keys(db: AsyncSession) -> list[tuple[ApiKey, Tenant]]:
    rows = await db.exec(
        select(ApiKey, Tenant).join(Tenant, col(ApiKey.tenant_id) == col(Tenant.id)).order_by(col(ApiKey.id))
    )
    return list(rows.all())


async def revoke_key(db: AsyncSession, prefix: str) -> ApiKey:
    """Revoke the key with this prefix (idempotent: an already revoked key keeps its first date)."""
    key = (await db.exec(select(ApiKey).where(ApiKey.prefix == prefix))).first()
    if key is None:
        raise NotFound(f"no key with prefix {prefix!r}")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        db.add(key)
        await db.flush()
    return key
