"""``POST /v1/scenarios/check`` (facilitator or admin key): is this scenario acceptable?

The body is a scenario in the shape of the files in ``scenarios/``, as JSON or as YAML (with a YAML
content type). Nothing is stored: the answer is the scenario's summary, or a 422 problem listing
each field in error by its path, or the conversation run (and the stage) that could not pass.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.di import NamedDependency
from pydantic import BaseModel, ConfigDict

from trainer.api.auth import require_role
from trainer.api.openapi import documented
from trainer.authoring.checking import MAX_SCENARIO_BYTES, check_scenario
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
    return ScenarioCheck(accepted=True, scenario=ScenarioSummary.of(scenario))
