"""All the content the trainer runs on, loaded and checked once at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.content.loader import load_scenarios
from trainer.content.rubric import RubricSet, load_rubrics
from trainer.content.scenario import Scenario
from trainer.settings import Settings
from trainer.vocabulary.errors import ContentError, NotFound


@dataclass(frozen=True)
class ContentLibrary:
    """The scenarios (by id, sorted) and the rubrics. Immutable: reload to pick up edited files."""

    scenarios: dict[str, Scenario]
    rubrics: RubricSet

    @classmethod
    def load(cls, settings: Settings) -> ContentLibrary:
        """Load ``settings.scenarios_dir`` and ``settings.rubrics_path``; a bad file raises ContentError."""
        scenarios = load_scenarios(settings.scenarios_dir)
        if not scenarios:
            raise ContentError(str(settings.scenarios_dir), "no scenario files (*.yaml) in this folder")
        return cls(scenarios=scenarios, rubrics=load_rubrics(settings.rubrics_path))

    def scenario(self, scenario_id: str) -> Scenario:
        try:
            return self.scenarios[scenario_id]
        except KeyError:
            raise NotFound(f"no scenario {scenario_id!r}") from None
