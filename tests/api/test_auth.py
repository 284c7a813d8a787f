"""Bearer keys on every /v1 route: missing, malformed, unknown or revoked keys are a 401."""

from __future__ import annotations

import time

import pytest
from httpx import Response
from litestar import Litestar, get
from litestar.di import NamedDependency
from litestar.testing import AsyncTestClient

from tests.conftest import ApiClient, issue_key
from trainer.api.auth import KeyCache, Principal, require_role
from trainer.app import create_app
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.store.db import create_engine, create_sessionmaker
from trainer.store.keys import revoke_key
from trainer.store.migrate import upgrade
from trainer.store.tables import Role


def _assert_unauthorized(response: Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["title"] == "Unauthorized"


async def test_no_key_is_a_401(client: ApiClient) -> None:
    response = await client.get("/v1/scenarios")
    _assert_unauthorized(response)
    assert "Authorization" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Bearer trn_00000000_not-a-real-secret",
        "Bearer not-even-a-key",
    ],
)
async def test_a_wrong_key_is_a_401(client: ApiClient, api_key: str, header: str) -> None:
    _assert_unauthorized(await client.get("/v1/scenarios", headers={"Authorization": header}))


async def test_a_key_with_a_changed_secret_is_a_401(client: ApiClient, api_key: str) -> None:
    forged = api_key[:-2] + ("xy" if not api_key.endswith("xy") else "zz")
    _assert_unauthorized(await client.get("/v1/scenarios", headers={"Authorization": f"Bearer {forged}"}))


async def _migrated(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    await engine.dispose()


async def _revoke(settings: Settings, api_key: str) -> None:
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine)() as db:
        await revoke_key(db, api_key.split("_")[1])
        await db.commit()
    await engine.dispose()


async def test_a_revoked_key_is_a_401(settings: Settings, library: ContentLibrary) -> None:
    settings = settings.model_copy(update={"key_cache_seconds": 0})
    await _migrated(settings)
    api_key = await issue_key(settings, name="soon-revoked")
    headers = {"Authorization": f"Bearer {api_key}"}
    async with AsyncTestClient(app=create_app(settings, library=library)) as client:
        assert (await client.get("/v1/scenarios", headers=headers)).status_code == 200
        await _revoke(settings, api_key)
        _assert_unauthorized(await client.get("/v1/scenarios", headers=headers))


async def test_a_revoked_key_stops_working_when_the_worker_forgets_it(
    client: ApiClient, app: Litestar, api_key: str, settings: Settings
) -> None:
    headers = {"Authorization": f"Bearer {api_key}"}
    assert (await client.get("/v1/scenarios", headers=headers)).status_code == 200
    await _revoke(settings, api_key)
    # Within TRAINER_KEY_CACHE_SECONDS the worker still trusts the key it checked ...
    assert (await client.get("/v1/scenarios", headers=headers)).status_code == 200
    now = time.monotonic() + settings.key_cache_seconds + 1
    cache: KeyCache = app.state.key_cache
    cache._clock = lambda: now  # the cache's time moves past the key's entry
    _assert_unauthorized(await client.get("/v1/scenarios", headers=headers))


def test_the_key_cache_expires_and_keeps_a_bounded_number_of_keys() -> None:
    now = [100.0]
    cache = KeyCache(5.0, max_entries=2, clock=lambda: now[0])
    principals = [
        Principal(key_id=n, key_prefix=f"p{n}", key_name="k", role=Role.app, tenant_id=1) for n in range(3)
    ]
    for n, principal in enumerate(principals):
        cache.put(f"token-{n}", principal)
    assert cache.get("token-0") is None  # the oldest went when the third came
    assert cache.get("token-2") == principals[2]
    now[0] += 5.0
    assert cache.get("token-2") is None
    disabled = KeyCache(0)
    disabled.put("token", principals[0])
    assert disabled.get("token") is None


async def test_the_scheme_is_case_insensitive(client: ApiClient, api_key: str) -> None:
    response = await client.get("/v1/scenarios", headers={"Authorization": f"bearer {api_key}"})
    assert response.status_code == 200


async def test_healthz_and_the_docs_need_no_key(client: ApiClient) -> None:
    assert (await client.get("/healthz")).status_code == 200
    assert (await client.get("/schema/openapi.json")).status_code == 200


@get("/whoami")
async def whoami(principal: NamedDependency[Principal]) -> dict[str, object]:
    return {"tenant_id": principal.tenant_id, "role": principal.role.value, "name": principal.key_name}


@get("/cohort", guards=[require_role(Role.facilitator)])
async def cohort() -> dict[str, str]:
    return {"ok": "yes"}


async def test_the_principal_and_role_guards(settings: Settings, library: ContentLibrary) -> None:
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    await engine.dispose()
    app: Litestar = create_app(settings, library=library, v1_handlers=[whoami, cohort])
    app_key = await issue_key(settings, name="mobile-app")
    coach_key = await issue_key(settings, name="coach", role=Role.facilitator, tenant="mobile-app")
    admin_key = await issue_key(settings, name="root", role=Role.admin)
    async with AsyncTestClient(app=app) as client:
        me = (await client.get("/v1/whoami", headers={"Authorization": f"Bearer {app_key}"})).json()
        coach = (await client.get("/v1/whoami", headers={"Authorization": f"Bearer {coach_key}"})).json()
        assert (
            me["role"] == "app" and coach["role"] == "facilitator" and me["tenant_id"] == coach["tenant_id"]
        )

        refused = await client.get("/v1/cohort", headers={"Authorization": f"Bearer {app_key}"})
        assert refused.status_code == 403 and "facilitator" in refused.json()["detail"]
        assert "www-authenticate" not in refused.headers
        for key in (coach_key, admin_key):
            assert (
                await client.get("/v1/cohort", headers={"Authorization": f"Bearer {key}"})
            ).status_code == 200
