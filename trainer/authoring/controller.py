"""A tenant's own scenarios (facilitator or admin key): check one, store it, version it, retire it.

- ``POST /v1/scenarios/check``: is this scenario acceptable? Nothing is stored.
- ``POST /v1/scenarios``: the same checks, then stored for the key's tenant only (201, version 1).
- ``PUT /v1/scenarios/{id}``: the same checks, then stored as the next version.
- ``DELETE /v1/scenarios/{id}``: retired (204): not listed, no new sessions; started ones go on.

The body is a scenario in the shape of the files in ``scenarios/``, as JSON or as YAML (with a YAML
content type). A scenario that fails is a 422 problem listing each field in error by its path, or
the conversation run (and the stage) that could not pass.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, delete, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath
from pydantic import BaseModel, ConfigDict
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.api.auth import Principal, require_role
from trainer.api.openapi import documented, problem_responses
from trainer.authoring.checking import MAX_SCENARIO_BYTES, check_scenario
from trainer.authoring.storing import Upload, create_scenario, replace_scenario, retire_scenario
from trainer.content.catalogue import Source
from trainer.content.library import ContentLibrary
from trainer.content.schemas import ScenarioSummary
from trainer.engines import Engines
from trainer.store.tables import Role

READ_UP_TO = 4 * MAX_SCENARIO_BYTES


class ScenarioCheck(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "accepted": True,
                    "scenario": {
                        "id": "clinic-wait",
                        "title": "A long wait at the clinic",
                        "summary": "A patient is upset about waiting two hours.",
                        "difficulty": 2,
                        "skills": ["reflection", "validation"],
                    },
                }
            ]
        },
    )

    accepted: bool
    scenario: ScenarioSummary


@post(
    "/scenarios/check",
    summary="Check a scenario (JSON, or YAML with Content-Type application/yaml) without storing it",
    status_code=200,
    guards=[require_role(Role.facilitator)],
    # A scenario is bigger than other bodies; up to a point an oversized one gets a 422 that says so.
    request_max_body_size=READ_UP_TO,
    tags=["scenarios"],
    responses=documented(ScenarioCheck, 200, 422),
)
async def check_scenario_route(
    request: Request[Any, Any, Any],
    library: NamedDependency[ContentLibrary],
    engines: NamedDependency[Engines],
) -> ScenarioCheck:
    body = await request.body()
    scenario = await check_scenario(
        library, engines, body, request.headers.get("content-type", "application/json")
    )
    return ScenarioCheck(accepted=True, scenario=ScenarioSummary.of(scenario, Source.tenant))


async def _upload(request: Request[Any, Any, Any], principal: Principal) -> Upload:
    content_type = request.headers.get("content-type", "application/json")
    return Upload(principal.tenant_id, principal.key_id, await request.body(), content_type)


STORED_EXAMPLE = {
    "id": "clinic-wait",
    "title": "A long wait at the clinic",
    "summary": "A patient is upset about waiting two hours.",
    "difficulty": 2,
    "skills": ["reflection", "validation"],
    "source": "tenant",
    "version": 1,
}


@post(
    "/scenarios",
    summary="Store a scenario of this tenant's own (JSON, or YAML with Content-Type application/yaml)",
    description=(
        "Checked exactly as POST /v1/scenarios/check checks it, then available to this tenant only. "
        "An id already in use (a built-in's, or one of yours: PUT makes a new version) is refused."
    ),
    status_code=201,
    guards=[require_role(Role.facilitator)],
    request_max_body_size=READ_UP_TO,
    tags=["scenarios"],
    responses=documented(ScenarioSummary, 201, 409, 422, example=STORED_EXAMPLE),
)
async def create_scenario_route(
    request: Request[Any, Any, Any],
    db: NamedDependency[AsyncSession],
    library: NamedDependency[ContentLibrary],
    engines: NamedDependency[Engines],
    principal: NamedDependency[Principal],
) -> ScenarioSummary:
    entry = await create_scenario(db, library, engines, await _upload(request, principal))
    return ScenarioSummary.of_entry(entry)


@put(
    "/scenarios/{scenario_id:str}",
    summary="Store a new version of this tenant's own scenario",
    description=(
        "Checked as POST /v1/scenarios/check checks it; the id in the body must be the one in the "
        "address. Sessions already started keep the version they started with. A built-in scenario "
        "cannot be replaced (409)."
    ),
    status_code=200,
    guards=[require_role(Role.facilitator)],
    request_max_body_size=READ_UP_TO,
    tags=["scenarios"],
    responses=documented(ScenarioSummary, 200, 404, 409, 422, example={**STORED_EXAMPLE, "version": 2}),
)
async def replace_scenario_route(
    request: Request[Any, Any, Any],
    db: NamedDependency[AsyncSession],
    library: NamedDependency[ContentLibrary],
    engines: NamedDependency[Engines],
    principal: NamedDependency[Principal],
    scenario_id: FromPath[str],
) -> ScenarioSummary:
    upload = await _upload(request, principal)
    return ScenarioSummary.of_entry(await replace_scenario(db, library, engines, upload, scenario_id))


@delete(
    "/scenarios/{scenario_id:str}",
    summary="Retire this tenant's own scenario: no longer listed, no new sessions",
    description=(
        "Sessions already started on it, their turns, reports, rewinds and progress keep working. "
        "A built-in scenario cannot be retired (409)."
    ),
    status_code=204,
    guards=[require_role(Role.facilitator)],
    tags=["scenarios"],
    responses=problem_responses(404, 409),
)
async def retire_scenario_route(
    db: NamedDependency[AsyncSession],
    library: NamedDependency[ContentLibrary],
    principal: NamedDependency[Principal],
    scenario_id: FromPath[str],
) -> None:
    await retire_scenario(db, library, principal.tenant_id, scenario_id)
