"""A tenant's own scenarios: stored after they pass exactly the checks of ``POST /v1/scenarios/check``.

- ``create_scenario`` stores version 1 (or, for an id the tenant retired, the next version);
- ``replace_scenario`` stores the next version of a scenario the tenant has (sessions already
  started keep the version they started with: ``PracticeSession.scenario_version``);
- ``retire_scenario`` takes it out of the list and out of new sessions; existing sessions, their
  turns, reports, rewinds and progress keep working, since stored versions are never deleted.

The simulation runs before anything is written; a scenario that fails is a ``ScenarioRejected``
(422) and nothing is stored. A built-in id is refused (``check_scenario`` for a new scenario,
``BuiltinScenario`` for a replacement or a retirement).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.authoring.checking import check_scenario
from trainer.content import scenario_store as repo
from trainer.content.catalogue import Entry, Source
from trainer.content.library import ContentLibrary
from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.store.db import writing
from trainer.vocabulary.errors import BuiltinScenario, NotFound, ScenarioExists, ScenarioRejected

RACED = "Another change to scenario {id!r} was stored at the same time; read it and try again."


@dataclass(frozen=True)
class Upload:
    """A scenario document as a client sent it, and who sent it."""

    tenant_id: int
    key_id: int | None
    body: bytes
    content_type: str


def _builtin(scenario_id: str) -> BuiltinScenario:
    return BuiltinScenario(
        f"{scenario_id!r} is a built-in scenario: it cannot be replaced or retired. Send your own "
        "version under another id (POST /v1/scenarios)."
    )


async def _store(db: AsyncSession, upload: Upload, scenario: Scenario, version: int) -> Entry:
    document = scenario.model_dump(mode="json")
    try:
        await repo.add_version(
            db,
            tenant_id=upload.tenant_id,
            scenario_id=scenario.id,
            version=version,
            document=document,
            key_id=upload.key_id,
        )
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise ScenarioExists(RACED.format(id=scenario.id)) from None
    return Entry(scenario, Source.tenant, version)


async def create_scenario(
    db: AsyncSession, library: ContentLibrary, engines: Engines, upload: Upload, *, new_version: bool = False
) -> Entry:
    """Check the scenario in ``upload`` and store it as the tenant's own. An id the tenant already
    has is a ``ScenarioExists``, unless ``new_version`` (the workshop page's upload): then it is
    stored as the next version."""
    scenario = await check_scenario(library, engines, upload.body, upload.content_type)
    async with writing(db):
        latest = await repo.latest_version(db, upload.tenant_id, scenario.id)
        version = 0 if latest is None else latest.version
        if latest is not None and latest.retired_at is None and not new_version:
            await db.rollback()
            raise ScenarioExists(
                f"You already have a scenario {scenario.id!r} (version {version}); "
                f"PUT /v1/scenarios/{scenario.id} stores a new version of it, or choose another id."
            )
        return await _store(db, upload, scenario, version + 1)


async def replace_scenario(
    db: AsyncSession, library: ContentLibrary, engines: Engines, upload: Upload, scenario_id: str
) -> Entry:
    """Check the scenario in ``upload`` and store it as the next version of ``scenario_id``."""
    if scenario_id in library.scenarios:
        raise _builtin(scenario_id)
    latest = await repo.latest_version(db, upload.tenant_id, scenario_id)
    await db.commit()  # end the read: the simulation runs outside any transaction
    if latest is None or latest.retired_at is not None:
        raise NotFound(f"no scenario {scenario_id!r} of yours; POST /v1/scenarios stores a new one")
    scenario = await check_scenario(library, engines, upload.body, upload.content_type)
    if scenario.id != scenario_id:
        raise ScenarioRejected(
            f"The scenario's id is {scenario.id!r}, but the address names {scenario_id!r}.",
            [("id", f"must be {scenario_id!r}, the id in the address")],
        )
    async with writing(db):
        again = await repo.latest_version(db, upload.tenant_id, scenario_id)
        if again is None or again.retired_at is not None:
            await db.rollback()
            raise NotFound(f"no scenario {scenario_id!r} of yours; POST /v1/scenarios stores a new one")
        return await _store(db, upload, scenario, again.version + 1)


async def retire_scenario(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, scenario_id: str
) -> None:
    """No new sessions on the tenant's scenario; sessions already started keep working."""
    if scenario_id in library.scenarios:
        raise _builtin(scenario_id)
    async with writing(db):
        if await repo.retire(db, tenant_id, scenario_id) == 0:
            await db.rollback()
            raise NotFound(f"no scenario {scenario_id!r} of yours to retire")
        await db.commit()
