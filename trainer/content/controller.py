"""``GET /v1/scenarios`` and ``GET /v1/scenarios/{scenario_id}``: what a learner can practise;
``GET /v1/scenarios/schema``: the JSON Schema a scenario file follows."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.api.auth import Principal
from trainer.api.openapi import problem_responses
from trainer.content.catalogue import catalogue, listed_scenario
from trainer.content.library import ContentLibrary
from trainer.content.scenario import Scenario
from trainer.content.schemas import ScenarioDetail, ScenarioList, ScenarioSummary

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_json_schema() -> dict[str, Any]:
    """The scenario file's JSON Schema, the same document as ``schemas/scenario.schema.json``."""
    return {"$schema": JSON_SCHEMA_DIALECT, **Scenario.model_json_schema()}


class ScenariosController(Controller):
    path = "/scenarios"
    tags = ["scenarios"]  # noqa: RUF012 (Litestar reads this class attribute)

    @get("/", summary="List the scenarios: the built-in ones, then this tenant's own")
    async def list_scenarios(
        self,
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        principal: NamedDependency[Principal],
    ) -> ScenarioList:
        entries = await catalogue(db, library, principal.tenant_id)
        return ScenarioList(items=[ScenarioSummary.of_entry(entry) for entry in entries])

    @get("/schema", summary="The JSON Schema of a scenario, for authoring tools to validate as they go")
    async def scenario_schema(self) -> dict[str, Any]:
        return scenario_json_schema()

    @get(
        "/{scenario_id:str}",
        summary="One scenario (built-in, or this tenant's own), with what a learner sees before starting",
        responses=problem_responses(404),
    )
    async def get_scenario(
        self,
        db: NamedDependency[AsyncSession],
        library: NamedDependency[ContentLibrary],
        principal: NamedDependency[Principal],
        scenario_id: FromPath[str],
    ) -> ScenarioDetail:
        return ScenarioDetail.of_entry(await listed_scenario(db, library, principal.tenant_id, scenario_id))
