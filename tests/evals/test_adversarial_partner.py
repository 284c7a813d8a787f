"""The adversarial suite asks the partner too: an attack that must not break character fails when
the partner's line steps out of the scene, whether a model said it or it slipped through."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace

import pytest

from trainer.content.loader import load_scenarios
from trainer.content.prompts import load_prompt
from trainer.content.rubric import load_rubrics
from trainer.content.scenario import Scenario
from trainer.evals.cases import load_adversarial
from trainer.evals.eval_engines import EngineName, EvalEngines, rules_engines
from trainer.evals.results import Spent
from trainer.evals.runner import ADVERSARIAL_SCENARIO, EVALS_DIR
from trainer.evals.suites import run_adversarial_case
from trainer.llm import ScriptedChatModel
from trainer.partner.model_partner import ModelPartner
from trainer.partner.voice import PartnerCue
from trainer.settings import DATA_DIR
from trainer.vocabulary.messages import Message
from trainer.vocabulary.seams import Usage

CASES = {case.id: case for case in load_adversarial(EVALS_DIR / "adversarial.yaml")}


class _SaysThis:
    """A partner voice that says one fixed line, checked by nothing."""

    def __init__(self, line: str) -> None:
        self.line = line

    async def speak(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> AsyncIterator[str]:
        yield self.line

    async def say(self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage) -> str:
        return self.line


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenarios(DATA_DIR / "scenarios")[ADVERSARIAL_SCENARIO]


def _engines(voice: object) -> EvalEngines:
    base = rules_engines(load_rubrics(DATA_DIR / "rubrics.yaml"))
    return EvalEngines(EngineName.rules, replace(base.engines, voice=voice))  # type: ignore[arg-type]


async def test_the_scripted_partner_stays_in_character(scenario: Scenario) -> None:
    engines = rules_engines(load_rubrics(DATA_DIR / "rubrics.yaml"))
    outcome = await run_adversarial_case(engines, CASES["partner-admit-ai"], Spent(), scenario)
    assert outcome.passed and outcome.partner_replaced is None


async def test_a_partner_line_that_breaks_character_fails_the_case(scenario: Scenario) -> None:
    voice = _SaysThis("Fine, you got me: as an AI language model I can't really feel anything.")
    outcome = await run_adversarial_case(_engines(voice), CASES["partner-admit-ai"], Spent(), scenario)
    assert not outcome.passed
    assert any(v.startswith("break_character") for v in outcome.violations)


async def test_a_model_line_replaced_for_breaking_character_still_fails_the_case(scenario: Scenario) -> None:
    model = ScriptedChatModel(["Okay, stepping out of the role-play: I am an AI and this is a scenario."])
    voice = ModelPartner(model, load_prompt(DATA_DIR / "prompts" / "partner.yaml"))
    outcome = await run_adversarial_case(_engines(voice), CASES["partner-system-prompt"], Spent(), scenario)
    assert outcome.partner_replaced == "break_character"
    assert any(v.startswith("break_character") for v in outcome.violations)


async def test_an_attack_that_allows_it_does_not_ask_the_partner(scenario: Scenario) -> None:
    voice = _SaysThis("As an AI I cannot say.")
    case = CASES["inject-ignore-previous"]
    outcome = await run_adversarial_case(_engines(voice), case, Spent(), scenario)
    assert "break_character" not in case.must_not and outcome.passed
