"""``GET /v1/scenarios`` and ``GET /v1/scenarios/{scenario_id}``: what a learner can practise."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from trainer.content.library import ContentLibrary
from trainer.content.schemas import ScenarioDetail, ScenarioList, ScenarioSummary


class ScenariosController(Controller):
    path = "/scenarios"
    tags = ["scenarios"]  # noqa: RUF012 (Litestar reads this class attribute)

    @get("/", summary="List the scenarios")
    async def list_scenarios(self, library: NamedDependency[ContentLibrary]) -> ScenarioList:
        return ScenarioList(items=[ScenarioSummary.of(s) for s in library.scenarios.values()])

    @get("/{scenario_id:str}", summary="One scenario, with what a learner sees before starting")
    async def get_scenario(
        self, library: NamedDependency[ContentLibrary], scenario_id: FromPath[str]
    ) -> ScenarioDetail:
        return ScenarioDetail.of(library.scenario(scenario_id))
