"""The app's shell: health, OpenAPI docs, the lifespan's shared resources, start-up refusal."""

from __future__ import annotations

import argparse
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import ApiClient
from trainer.app import create_app
from trainer.commands import serve
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.vocabulary.errors import ContentError


async def test_healthz_checks_the_database(client: ApiClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == {"status": "ok", "detail": None}


async def test_healthz_is_a_503_problem_when_the_database_is_gone(
    tmp_path: Path, library: ContentLibrary
) -> None:
    # A folder where the database file should be: SQLite cannot open it.
    (tmp_path / "db").mkdir()
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'db'}")
    app = create_app(settings, library=library)
    async with AsyncTestClient(app=app) as client:
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_openapi_lists_the_routes_and_the_bearer_scheme(client: ApiClient) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    assert {"/healthz", "/v1/scenarios", "/v1/scenarios/{scenario_id}"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["BearerKey"]["scheme"] == "bearer"
    for page in ("/schema/swagger", "/schema/scalar"):
        response = await client.get(page)
        assert response.status_code == 200 and "text/html" in response.headers["content-type"]


async def test_the_lifespan_owns_one_engine_and_one_http_client(app: Litestar) -> None:
    async with AsyncTestClient(app=app):
        engine, http = app.state.engine, app.state.http
        assert isinstance(engine, AsyncEngine) and isinstance(http, httpx.AsyncClient)
        assert not http.is_closed
    assert http.is_closed


def test_a_bad_content_file_refuses_to_start(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: no\n", encoding="utf-8")
    settings = Settings(scenarios_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 't.db'}")
    with pytest.raises(ContentError, match=r"broken\.yaml"):
        create_app(settings)


def test_serve_refuses_to_start_on_a_bad_content_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    settings = Settings(scenarios_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 't.db'}")
    code = serve.run(settings, argparse.Namespace(host=None, port=None, workers=1, print_address=False))
    assert code == 2
    assert "cannot start" in capsys.readouterr().err
