"""A turn with the model's safety check: a reply the offline screen let through but the model flags is
paused like a screened one (no grade, no partner words, not even streamed ones); a reply it clears,
or a check that fails, is graded and answered as usual, its cost counted with the judge's."""

from __future__ import annotations

import asyncio

import pytest

from tests.sessions.test_turn import _start
from trainer.content.loader import load_scenario_file
from trainer.content.rubric import load_rubrics
from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.llm import ScriptedChatModel
from trainer.partner.state import SessionStatus
from trainer.safety.lexicon import Category
from trainer.safety.model_check import ModelRiskCheck, RiskAnswer
from trainer.safety.resources import ResourceBook
from trainer.safety.screen import load_screen
from trainer.safety.service import Safety
from trainer.sessions.turn import TurnResult, stream_turn, take_turn
from trainer.settings import DATA_DIR
from trainer.vocabulary.errors import ProviderUnavailable

# Said without the words the offline screen's phrases read; only the model's check can catch it here.
UNSAID = "Honestly everyone would have an easier time if I just wasn't around next year."
LISTENING = "It sounds like you feel you come last, after my work."


@pytest.fixture
def scenario() -> Scenario:
    return load_scenario_file(DATA_DIR / "scenarios" / "never-a-priority.yaml")


def _phrases_only() -> Safety:
    """The offline screen without its learned model, so that retraining it cannot move these tests."""
    return Safety(load_screen(model_path=None), ResourceBook.load(None))


def _engines(*answers: object) -> tuple[Engines, ScriptedChatModel]:
    offline = Engines.offline(load_rubrics(DATA_DIR / "rubrics.yaml"), _phrases_only())
    model = ScriptedChatModel(list(answers), model="judge-1")  # type: ignore[arg-type]
    risk = ModelRiskCheck.load(model, DATA_DIR / "prompts")
    engines = Engines(
        grader=offline.grader, judge=offline.judge, voice=offline.voice, safety=offline.safety, risk=risk
    )
    return engines, model


def test_the_offline_screen_lets_the_unsaid_reply_through() -> None:
    # The premise of the tests below: without the model, this reply would be graded and answered.
    assert _phrases_only().check(UNSAID) is None


def test_a_reply_the_model_flags_is_paused_with_help_and_no_partner_line(scenario: Scenario) -> None:
    engines, model = _engines(RiskAnswer(risk="self_harm"))
    state, history = _start(scenario)
    result = asyncio.run(take_turn(engines, scenario, state, history, UNSAID, tenant=3))
    assert result.screen is not None and result.screen.category is Category.self_harm
    assert result.screen.resources and result.screen.message
    assert result.status is SessionStatus.paused and result.partner_text == "" and result.grade.rubrics == {}
    assert result.state.model_copy(update={"status": state.status}) == state
    assert result.judge_usage.input_tokens > 0  # what the check cost is kept with the turn
    [call] = model.calls
    assert UNSAID in call.messages[1].content


def test_a_streamed_reply_the_model_flags_sends_no_partner_words(scenario: Scenario) -> None:
    engines, _ = _engines(RiskAnswer(risk="abuse"))
    state, history = _start(scenario)

    async def collect() -> list[object]:
        return [item async for item in stream_turn(engines, scenario, state, history, UNSAID)]

    [only] = asyncio.run(collect())
    assert isinstance(only, TurnResult) and only.screen is not None
    assert only.screen.category is Category.abuse and only.status is SessionStatus.paused


@pytest.mark.parametrize("answer", [RiskAnswer(risk="none"), ProviderUnavailable("down")])
def test_a_cleared_or_failed_check_lets_the_turn_run_as_usual(scenario: Scenario, answer: object) -> None:
    engines, _ = _engines(answer, answer)
    state, history = _start(scenario)
    taken = asyncio.run(take_turn(engines, scenario, state, history, LISTENING))

    async def collect() -> list[object]:
        return [item async for item in stream_turn(engines, scenario, state, history, LISTENING)]

    *pieces, streamed = asyncio.run(collect())
    assert isinstance(streamed, TurnResult)
    for result in (taken, streamed):
        assert isinstance(result, TurnResult)
        assert result.screen is None and result.status is SessionStatus.active
        assert result.partner_text and result.grade.rubrics
    assert pieces and "".join(str(piece) for piece in pieces) == streamed.partner_text
    if isinstance(answer, ProviderUnavailable):
        assert taken.judge_usage.error is not None and taken.judge_usage.error.startswith("safety check:")
    else:
        assert taken.judge_usage.error is None and taken.judge_usage.input_tokens > 0


def test_a_reply_the_offline_screen_stops_never_reaches_the_model(scenario: Scenario) -> None:
    engines, model = _engines()  # no scripted answer: a call would fail the test
    state, history = _start(scenario)
    risky = "i dont want to be here anymore. i want to kill myself"
    result = asyncio.run(take_turn(engines, scenario, state, history, risky))

    async def collect() -> list[object]:
        return [item async for item in stream_turn(engines, scenario, state, history, risky)]

    [streamed] = asyncio.run(collect())
    for screened in (result, streamed):
        assert isinstance(screened, TurnResult) and screened.screen is not None
        assert screened.screen.category is Category.self_harm
    assert model.calls == []
