"""The safety screen in one turn and in ``trainer practice``: help first, no grade, paused until resumed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.sessions.test_turn import _practice, _start
from trainer.content.loader import load_scenario_file
from trainer.content.rubric import load_rubrics
from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.partner.state import SessionStatus
from trainer.sessions.schemas import try_again_for
from trainer.sessions.turn import stream_turn, take_turn
from trainer.settings import DATA_DIR
from trainer.store.tables import Turn
from trainer.vocabulary.errors import SessionPaused

RISK = "i dont want to be here anymore. i want to kill myself"


@pytest.fixture
def scenario() -> Scenario:
    return load_scenario_file(DATA_DIR / "scenarios" / "asks-for-advice.yaml")


class _Refuses:
    """A judge and a voice that must never be asked: the screened reply reaches no engine."""

    async def judge(self, *args: object) -> object:
        raise AssertionError("the judge saw a screened reply")

    def speak(self, *args: object) -> object:
        raise AssertionError("the partner saw a screened reply")

    async def say(self, *args: object) -> object:
        raise AssertionError("the partner saw a screened reply")


def _guarded() -> Engines:
    offline = Engines.offline(load_rubrics(DATA_DIR / "rubrics.yaml"))
    refuses = _Refuses()
    return Engines(grader=offline.grader, judge=refuses, voice=refuses, safety=offline.safety)  # type: ignore[arg-type]


def test_a_screened_reply_reaches_no_engine_and_pauses(scenario: Scenario) -> None:
    state, history = _start(scenario)
    result = asyncio.run(take_turn(_guarded(), scenario, state, history, RISK, tenant=7))
    assert result.screen is not None and result.screen.category.value == "self_harm"
    assert result.status is SessionStatus.paused and result.partner_text == ""
    assert result.state.model_copy(update={"status": state.status}) == state  # nothing else moved
    with pytest.raises(SessionPaused):
        asyncio.run(take_turn(_guarded(), scenario, result.state, history, "It sounds hard."))


def test_a_streamed_screened_reply_yields_only_its_result(scenario: Scenario) -> None:
    state, history = _start(scenario)

    async def collect() -> list[object]:
        return [item async for item in stream_turn(_guarded(), scenario, state, history, RISK)]

    items = asyncio.run(collect())
    assert len(items) == 1 and getattr(items[0], "screen", None) is not None


def test_the_terminal_shows_help_first_then_resumes() -> None:
    stdin = f"{RISK}\nhello?\n/resume\nIt sounds like you feel torn about Kate.\n/quit\n"
    done = _practice(stdin, "asks-for-advice")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    help_at = out.index("We have paused the role-play")
    assert "emergency" in out[help_at:]
    assert out.index("Local emergency services") < out.index("/resume")
    assert "grade:" not in out[:help_at]
    assert "Carrying on with the role-play." in out
    assert "replies: 1" in out  # the screened reply is not graded or counted


def test_a_screened_reply_gets_no_nudge_to_try_it_again() -> None:
    """The partner's state after a screened reply is the one before it, pulled back or not: the
    nudge to retry belongs to the reply the partner reacted to, not to the screened one."""
    pulled_back = {"last_reaction": "withdraw", "status": "paused"}
    screen = {"category": "self_harm", "message": "m", "resources": [{"name": "n", "contact": "c"}]}

    def turn(screen: dict[str, Any] | None) -> Turn:
        return Turn(
            session_id="s",
            index=1,
            reply="r",
            tip="",
            partner_text="",
            engine="rules",
            state_after=pulled_back,
            screen=screen,
        )

    assert try_again_for(turn(None)) is not None
    screened = turn(screen)
    assert try_again_for(screened) is None
