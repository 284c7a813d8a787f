"""API keys: shown once, stored hashed, found by token, revoked for good."""

from __future__ import annotations

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.store.keys import create_key, find_key_by_token, hash_token, list_keys, prefix_of, revoke_key
from trainer.store.tables import ApiKey, Role
from trainer.vocabulary.errors import NotFound


async def test_a_new_key_is_stored_only_as_its_hash(db: AsyncSession) -> None:
    created = await create_key(db, name="mobile", role=Role.facilitator)
    await db.commit()

    scheme, prefix, secret = created.token.split("_", 2)
    assert scheme == "trn" and prefix == created.key.prefix and len(secret) >= 40
    stored = (await db.exec(select(ApiKey))).one()
    assert stored.hash == hash_token(created.token) and created.token not in stored.hash
    assert stored.role == "facilitator" and stored.revoked_at is None
    assert created.tenant.name == "mobile"


async def test_the_token_finds_its_key(db: AsyncSession) -> None:
    created = await create_key(db, name="mobile")
    await db.commit()

    found = await find_key_by_token(db, created.token)
    assert found is not None and found.id == created.key.id


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # wrong secret, right prefix
        lambda token: "trn_00000000_" + token.split("_", 2)[2],  # unknown prefix
        lambda token: token.replace("trn_", "xyz_", 1),  # wrong scheme
        lambda token: "trn_" + token.split("_", 2)[1],  # no secret
        lambda token: "",
    ],
)
async def test_anything_but_the_exact_token_finds_nothing(db: AsyncSession, mangle: object) -> None:
    created = await create_key(db, name="mobile")
    await db.commit()
    assert callable(mangle)
    assert await find_key_by_token(db, mangle(created.token)) is None


async def test_a_revoked_key_finds_nothing_and_stays_revoked(db: AsyncSession) -> None:
    created = await create_key(db, name="mobile")
    await db.commit()

    revoked = await revoke_key(db, created.key.prefix)
    await db.commit()
    first_revoked_at = revoked.revoked_at
    assert first_revoked_at is not None
    assert await find_key_by_token(db, created.token) is None
    again = await revoke_key(db, created.key.prefix)
    assert again.revoked_at == first_revoked_at


async def test_revoking_an_unknown_prefix_is_not_found(db: AsyncSession) -> None:
    with pytest.raises(NotFound, match="no key with prefix"):
        await revoke_key(db, "deadbeef")


async def test_keys_share_a_named_tenant_and_are_listed_in_order(db: AsyncSession) -> None:
    first = await create_key(db, name="coach-1", role=Role.facilitator, tenant="workshop")
    second = await create_key(db, name="app", tenant="workshop")
    other = await create_key(db, name="other")
    await db.commit()

    assert first.tenant.id == second.tenant.id != other.tenant.id
    listed = await list_keys(db)
    assert [(key.name, tenant.name) for key, tenant in listed] == [
        ("coach-1", "workshop"),
        ("app", "workshop"),
        ("other", "other"),
    ]


def test_prefix_of_reads_only_well_formed_tokens() -> None:
    assert prefix_of("trn_0123abcd_secret_with_underscores") == "0123abcd"
    assert prefix_of("trn_short_secret") is None
    assert prefix_of("Bearer trn_0123abcd_x") is None
