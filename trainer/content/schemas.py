"""The HTTP contract for scenarios: response bodies, separate from the domain models.

A scenario's public view never carries what the partner keeps to itself (the deeper feeling, the
key points, the scripted lines, the exemplars): a client could otherwise read the answers.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from trainer.content.catalogue import Entry, Source
from trainer.content.scenario import Scenario
from trainer.vocabulary.grades import RubricName


class ScenarioSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    summary: str
    difficulty: int
    skills: list[RubricName]
    source: Source = Field(
        default=Source.builtin,
        description="builtin (every tenant has it) or tenant (this tenant's own, from POST /v1/scenarios)",
    )
    version: int | None = Field(
        default=None, description="The current version of a tenant's own scenario (null: a built-in one)"
    )

    @classmethod
    def of(
        cls, scenario: Scenario, source: Source = Source.builtin, version: int | None = None
    ) -> ScenarioSummary:
        return cls(
            id=scenario.id,
            title=scenario.title,
            summary=scenario.summary,
            difficulty=scenario.difficulty,
            skills=list(scenario.skills),
            source=source,
            version=version,
        )

    @classmethod
    def of_entry(cls, entry: Entry) -> ScenarioSummary:
        return cls.of(entry.scenario, entry.source, entry.version)


class ScenarioList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[ScenarioSummary]


class PartnerView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    relationship: str


class ScenarioDetail(ScenarioSummary):
    partner: PartnerView
    lesson: str
    learner_role: str
    max_turns: int

    @classmethod
    def of_entry(cls, entry: Entry) -> ScenarioDetail:
        scenario = entry.scenario
        return cls(
            **ScenarioSummary.of_entry(entry).model_dump(),
            partner=PartnerView(name=scenario.partner.name, relationship=scenario.partner.relationship),
            lesson=scenario.lesson,
            learner_role=scenario.learner_role,
            max_turns=scenario.max_turns,
        )
