"""The scenarios a tenant can use: the built-in library and the tenant's own stored versions.

Every place the server turns a scenario id into a ``Scenario`` (starting a session, its turns, hints,
rewinds and reports, a cohort's programme, the practice page and the workshop board) asks here, so
a tenant's own scenario is found for that tenant only, and a session always gets the version it
started with (``PracticeSession.scenario_version``), also after a new version or retirement.

A built-in id can never be a tenant's own (both the API and the storage refuse it), so an id names
one scenario for a tenant: the built-in one, or the tenant's current version.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.content import scenario_store as repo
from trainer.content.library import ContentLibrary
from trainer.content.scenario import Scenario
from trainer.store.tables import PracticeSession, TenantScenario
from trainer.vocabulary.errors import NotFound, ScenarioRetired


class Source(StrEnum):
    builtin = "builtin"  # a file in scenarios/, the same for every tenant
    tenant = "tenant"  # the tenant's own, sent to POST /v1/scenarios


@dataclass(frozen=True)
class Entry:
    """A scenario as a tenant sees it: where it comes from and, for a tenant's own, its version."""

    scenario: Scenario
    source: Source
    version: int | None  # None for a built-in scenario


def stored(row: TenantScenario) -> Entry:
    return Entry(Scenario.model_validate(row.document), Source.tenant, row.version)


def _missing(scenario_id: str) -> NotFound:
    return NotFound(f"no scenario {scenario_id!r}; GET /v1/scenarios lists the scenarios you can use")


async def current_scenario(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, scenario_id: str
) -> Entry:
    """The scenario a new session on ``scenario_id`` would use: built-in, or the tenant's current
    version. NotFound when the tenant has none by that id; ``ScenarioRetired`` when it was retired."""
    builtin = library.scenarios.get(scenario_id)
    if builtin is not None:
        return Entry(builtin, Source.builtin, None)
    row = await repo.latest_version(db, tenant_id, scenario_id)
    if row is None:
        raise _missing(scenario_id)
    if row.retired_at is not None:
        raise ScenarioRetired(
            f"The scenario {scenario_id!r} was retired: it takes no new sessions (those already started "
            "keep working). GET /v1/scenarios lists the scenarios you can use."
        )
    return stored(row)


async def listed_scenario(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, scenario_id: str
) -> Entry:
    """A scenario as ``GET /v1/scenarios`` lists it: a retired one is not there (NotFound)."""
    try:
        return await current_scenario(db, library, tenant_id, scenario_id)
    except ScenarioRetired:
        raise NotFound(f"no scenario {scenario_id!r}: it was retired (no new sessions)") from None


async def find_scenario(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, scenario_id: str, version: int | None
) -> Scenario:
    """The one way a scenario id (and version) becomes a scenario for a tenant: ``version`` None is
    the built-in scenario (or the tenant's current version); a number is that stored version of the
    tenant's own, retired or not."""
    if version is None:
        return (await current_scenario(db, library, tenant_id, scenario_id)).scenario
    row = await repo.find_version(db, tenant_id, scenario_id, version)
    if row is None:
        raise _missing(scenario_id)
    return stored(row).scenario


async def session_scenario(db: AsyncSession, library: ContentLibrary, session: PracticeSession) -> Scenario:
    """The scenario, in the version the session started with."""
    if session.scenario_version is None:
        builtin = library.scenarios.get(session.scenario_id)
        if builtin is not None:
            return builtin
    return await find_scenario(db, library, session.tenant_id, session.scenario_id, session.scenario_version)


async def catalogue(db: AsyncSession, library: ContentLibrary, tenant_id: int) -> list[Entry]:
    """What the tenant can practise: every built-in scenario, then the tenant's own (current
    versions, not retired), each by id."""
    own = [stored(row) for row in await repo.live_scenarios(db, tenant_id)]
    builtin = [Entry(s, Source.builtin, None) for s in library.scenarios.values()]
    return builtin + sorted(own, key=lambda entry: entry.scenario.id)


async def scenario_titles(db: AsyncSession, library: ContentLibrary, tenant_id: int) -> dict[str, Scenario]:
    """Every scenario the tenant has ever had by id (retired ones too, at their latest version), for
    showing a programme or a board: a retired scenario still has a title."""
    every = {row.scenario_id: stored(row).scenario for row in await repo.latest_versions(db, tenant_id)}
    return {**every, **library.scenarios}
