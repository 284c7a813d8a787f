"""Shared fixtures: databases (SQLite always, PostgreSQL when configured), a content library, an app.

PostgreSQL runs when ``TRAINER_TEST_POSTGRES_URL`` names a server (e.g.
``postgresql+asyncpg://postgres@127.0.0.1:5432/test``); every test then gets a database of its own,
created from that server and dropped afterwards, so runs never see each other's rows.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.app import create_app
from trainer.content.library import ContentLibrary
from trainer.content.rubric import load_rubrics
from trainer.content.scenario import Reaction, Scenario, Stage
from trainer.settings import Settings
from trainer.store.db import create_engine, create_sessionmaker
from trainer.store.keys import create_key
from trainer.store.migrate import upgrade
from trainer.store.tables import Role

POSTGRES_ENV = "TRAINER_TEST_POSTGRES_URL"

ApiClient = AsyncTestClient[Litestar]


def postgres_server_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'trainer.db'}"
        return
    server = postgres_server_url()
    if server is None:
        pytest.skip(
            f"PostgreSQL tests need {POSTGRES_ENV}, e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        )
    name = f"trainer_test_{secrets.token_hex(6)}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database migrated to head."""
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_sessionmaker(engine)() as session:
        yield session


def make_scenario(scenario_id: str = "test-partner", *, title: str = "A test partner") -> Scenario:
    """A small but complete scenario, built in code so tests do not depend on the content files."""
    lines = {reaction: [f"({reaction.value}) I hear you. {{missed}} {{point}}"] for reaction in Reaction}
    return Scenario.model_validate(
        {
            "id": scenario_id,
            "title": title,
            "summary": "A partner who feels overlooked after a cancelled plan.",
            "difficulty": 1,
            "skills": ["reflection", "validation"],
            "lesson": "Reflect before you explain.",
            "learner_role": "You are the partner who cancelled the plan.",
            "partner": {"name": "Sam", "relationship": "your friend", "voice": "quiet"},
            "situation": "A plan was cancelled at the last minute.",
            "feelings": ["hurt", "disappointed"],
            "key_points": [
                {
                    "id": "cancelled",
                    "summary": "You cancelled our plan.",
                    "cues": ["cancel", "plan"],
                    "share": "We had planned it for weeks.",
                    "missed": "the plan was cancelled at the last minute",
                }
            ],
            "deeper": {"summary": "I worry I do not matter to you.", "cues": ["matter"]},
            "lines": lines,
            "exemplars": {stage: ["It sounds like the cancelled plan really hurt."] for stage in Stage},
        }
    )


@pytest.fixture
def library() -> ContentLibrary:
    scenarios = {
        s.id: s for s in (make_scenario("another-partner", title="Another partner"), make_scenario())
    }
    return ContentLibrary(
        scenarios=dict(sorted(scenarios.items())),
        rubrics=load_rubrics(Settings().rubrics_path),
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'api.db'}", max_body_bytes=4096)


@pytest.fixture
async def app(settings: Settings, library: ContentLibrary) -> Litestar:
    migrate = create_engine(settings.database_url)
    try:
        await upgrade(migrate)
    finally:
        await migrate.dispose()
    return create_app(settings, library=library)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[ApiClient]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


async def issue_key(
    settings: Settings, *, name: str, role: Role = Role.app, tenant: str | None = None
) -> str:
    """A new API key in the settings' database; returns the token."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            created = await create_key(session, name=name, role=role, tenant=tenant)
            await session.commit()
            return created.token
    finally:
        await engine.dispose()


@pytest.fixture
async def api_key(app: Litestar, settings: Settings) -> str:
    return await issue_key(settings, name="test-app")


@pytest.fixture
def auth(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}"}


class NetworkAccessBlocked(RuntimeError):
    """A test tried to reach beyond this machine: model calls must be mocked with respx."""


@pytest.fixture(autouse=True, scope="session")
def _no_network_beyond_loopback() -> Iterator[None]:
    """Fail any test that opens a connection to anything but loopback (PostgreSQL, Redis and test
    servers on 127.0.0.1 are fine; a real model provider is not)."""
    real_connect = socket.socket.connect

    def guarded_connect(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])
            try:
                loopback = ipaddress.ip_address(host.split("%")[0]).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise NetworkAccessBlocked(f"tests may not connect to {host}: mock it with respx")
        return real_connect(sock, address)

    socket.socket.connect = guarded_connect  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
