"""Fixtures and helpers for the session API tests: the real content, on SQLite and PostgreSQL.

Test modules import the fixtures (``database_settings`` is the fixture ``settings``, and so on); they
override the conftest ones of the same name.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx
import pytest
import uvicorn
from litestar import Litestar
from sqlalchemy import func, select
from sqlmodel import SQLModel

from tests.conftest import ApiClient
from trainer.content.library import ContentLibrary
from trainer.content.scenario import Scenario
from trainer.engines import Engines, OfflineJudge
from trainer.partner.scripted_partner import ScriptedPartner
from trainer.partner.voice import PartnerCue
from trainer.settings import Settings
from trainer.store.db import create_engine
from trainer.vocabulary.messages import Message
from trainer.vocabulary.seams import Usage

SCENARIO = "asks-for-advice"


@pytest.fixture(name="settings")
def database_settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture(name="library")
def content_library() -> ContentLibrary:
    return ContentLibrary.load(Settings())


async def start(client: ApiClient, auth: dict[str, str], learner: str = "learner-1") -> dict[str, Any]:
    response = await client.post(
        "/v1/sessions", json={"scenario_id": SCENARIO, "learner_id": learner}, headers=auth
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def hint(client: ApiClient, auth: dict[str, str], session_id: str) -> str:
    response = await client.get(f"/v1/sessions/{session_id}/hint", headers=auth)
    assert response.status_code == 200, response.text
    reply: str = response.json()["reply"]
    return reply


async def row_counts(settings: Settings) -> dict[str, int]:
    """Rows in every table of the schema."""
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            return {
                name: int((await connection.execute(select(func.count()).select_from(table))).scalar_one())
                for name, table in SQLModel.metadata.tables.items()
            }
    finally:
        await engine.dispose()


class GatedVoice:
    """The scripted partner, but every line waits until ``arrivals`` turns are speaking at once.

    Two replies posted together then both read the session before either writes: the race is
    forced, not hoped for.
    """

    def __init__(self, arrivals: int) -> None:
        self._barrier = asyncio.Barrier(arrivals)
        self._scripted = ScriptedPartner()

    async def speak(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> AsyncIterator[str]:
        await self._barrier.wait()
        async for piece in self._scripted.speak(scenario, cue, history, usage):
            yield piece

    async def say(self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage) -> str:
        await self._barrier.wait()
        return await self._scripted.say(scenario, cue, history, usage)


class HeldVoice:
    """The scripted partner that says its first word, then waits for ``release`` before the rest."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.first_word_out = asyncio.Event()
        self._scripted = ScriptedPartner()

    async def speak(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> AsyncIterator[str]:
        first = True
        async for piece in self._scripted.speak(scenario, cue, history, usage):
            yield piece
            if first:
                first = False
                self.first_word_out.set()
                await self.release.wait()


def use_voice(app: Litestar, library: ContentLibrary, voice: Any) -> None:
    """Swap the app's partner voice (after start-up, when the lifespan has built the engines)."""
    offline = Engines.offline(library.rubrics)
    app.state.engines = Engines(grader=offline.grader, judge=OfflineJudge(), voice=voice)


@pytest.fixture(name="live")
async def live_server(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """The app served by uvicorn in this event loop, on a free port, and a client for it.

    Needed where the test client cannot go: requests truly at the same time, and a client that
    hangs up in the middle of a streamed response.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 (uvicorn offers no start-up event to wait on)
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        await serving
        sock.close()
