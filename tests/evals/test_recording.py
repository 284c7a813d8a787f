"""Recording fixtures from a live model: each call is kept under the role that made it."""

from __future__ import annotations

import json

import httpx
import respx

from tests.conftest import make_scenario
from tests.llm.conftest import openai_answer, openai_stream
from trainer.content.rubric import load_rubrics
from trainer.evals.eval_engines import live_engines
from trainer.evals.fixtures import Role
from trainer.evals.replay import case_scope
from trainer.sessions.turn import TurnResult, open_session, stream_turn, take_turn
from trainer.settings import DATA_DIR, Settings
from trainer.vocabulary import messages
from trainer.vocabulary.grades import RubricName

BASE = "http://127.0.0.1:9/v1"  # never reached: respx answers
LINE = "Yes. That is it."
REPLY = "That sounds hard."
VERDICT = {
    "behaviours": [],
    "rubrics": {name.value: {"score": 2, "reason": "Fine.", "evidence": ""} for name in RubricName},
    "tip": "Name the feeling.",
}


def _provider(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content)
    if "response_format" in body:
        return httpx.Response(200, json=openai_answer(json.dumps(VERDICT)))
    if body.get("stream"):
        return httpx.Response(200, content=openai_stream("Yes. ", "That is it."))
    return httpx.Response(200, json=openai_answer(LINE))


async def test_a_whole_and_a_streamed_turn_are_recorded_as_judge_and_partner_calls() -> None:
    # One model for both roles, as a small deployment would have it.
    settings = Settings(llm_base_url=BASE, llm_model="one-model", llm_max_retries=0)
    engines = live_engines(settings, load_rubrics(DATA_DIR / "rubrics.yaml"), record=True)
    scenario = make_scenario()
    opening = open_session(scenario)
    history = [messages.Message(role=messages.Role.partner, text=opening.text)]
    try:
        with respx.mock(assert_all_mocked=True) as router:
            router.post(f"{BASE}/chat/completions").mock(side_effect=_provider)
            with case_scope("whole"):
                whole = await take_turn(engines.engines, scenario, opening.state, history, REPLY)
            with case_scope("streamed"):
                items = [
                    item
                    async for item in stream_turn(engines.engines, scenario, opening.state, history, REPLY)
                ]
    finally:
        await engines.aclose()
    streamed = items[-1]
    assert isinstance(streamed, TurnResult)
    assert whole.partner_text == LINE and streamed.partner_text == LINE
    recorded = sorted(
        (exchange.key, exchange.role.value, exchange.answer)
        for recorder in engines.recorders
        for exchange in recorder.recorded
    )
    assert recorded == [
        ("streamed", Role.judge.value, json.dumps(VERDICT)),
        ("streamed", Role.partner.value, LINE),
        ("whole", Role.judge.value, json.dumps(VERDICT)),
        ("whole", Role.partner.value, LINE),
    ]
