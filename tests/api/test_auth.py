"""Bearer keys on every /v1 route: missing, malformed, unknown or revoked keys are a 401."""

from __future__ import annotations

import pytest
from httpx import Response
from litestar import Litestar, get
from litestar.di import NamedDependency
from litestar.testing import AsyncTestClient

from tests.conftest import ApiClient, issue_key
from trainer.api.auth import Principal, require_role
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


async def test_a_revoked_key_is_a_401(client: ApiClient, api_key: str, settings: Settings) -> None:
    assert (
        await client.get("/v1/scenarios", headers={"Authorization": f"Bearer {api_key}"})
    ).status_code == 200
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine)() as db:
        await revoke_key(db, api_key.split("_")[1])
        await db.commit()
    await engine.dispose()
    _assert_unauthorized(await client.get("/v1/scenarios", headers={"Authorization": f"Bearer {api_key}"}))


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
