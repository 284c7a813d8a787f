"""A whole session over HTTP with a model configured (respx plays the provider; nothing leaves the
machine): the model judge grades, the model partner speaks, the model's safety check pauses a reply
the offline screen let through, and a failing provider degrades a turn instead of failing it. The
partner's path is still set by the rules, so following hints completes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx
from sqlmodel import col, select

from tests.api.sessions_support import SCENARIO, content_library, hint, start  # noqa: F401 (fixtures)
from tests.api.test_sessions_stream import events_of
from tests.conftest import ApiClient
from tests.llm.conftest import asks_safety_check, openai_answer, openai_stream, safety_check_answer
from trainer.safety.service import Safety
from trainer.settings import Settings
from trainer.store.db import create_engine, create_sessionmaker
from trainer.store.tables import Turn
from trainer.vocabulary.grades import RubricName

BASE = "http://models.test/v1"
PARTNER_LINE = "Mm. Yes, that is what it has been like for me."
JUDGE_TIP = "Keep naming the feeling you hear."


@pytest.fixture(name="settings")
def model_settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        llm_base_url=BASE,
        llm_model="trainer-test-model",
        llm_max_retries=0,
        llm_prices={"trainer-test-model": (1.0, 4.0)},
    )


def _judge_answer() -> dict[str, Any]:
    verdict = {
        "behaviours": [],
        "rubrics": {
            name.value: {"score": 3, "reason": "Clear and warm.", "evidence": ""} for name in RubricName
        },
        "tip": JUDGE_TIP,
    }
    return openai_answer(json.dumps(verdict))


def _provider(request: httpx.Request) -> httpx.Response:
    """The judge asks for a JSON schema; the partner's line comes whole, or streamed when asked so."""
    body = json.loads(request.content)
    if asks_safety_check(body):
        return httpx.Response(200, json=safety_check_answer())
    if "response_format" in body:
        return httpx.Response(200, json=_judge_answer())
    if body.get("stream"):
        pieces = [word + " " for word in PARTNER_LINE.split(" ")]
        pieces[-1] = pieces[-1].rstrip()
        return httpx.Response(
            200, content=openai_stream(*pieces), headers={"content-type": "text/event-stream"}
        )
    return httpx.Response(200, json=openai_answer(PARTNER_LINE))


def _safety_checks(route: respx.Route) -> int:
    return sum(asks_safety_check(json.loads(call.request.content)) for call in route.calls)


@pytest.fixture
def provider() -> Iterator[Callable[[Callable[[httpx.Request], httpx.Response]], respx.Route]]:
    with respx.mock(assert_all_called=False) as router:

        def serve(handler: Callable[[httpx.Request], httpx.Response]) -> respx.Route:
            return router.post(f"{BASE}/chat/completions").mock(side_effect=handler)

        yield serve


async def _stored_turns(settings: Settings, session_id: str) -> list[Turn]:
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as db:
            rows = await db.exec(select(Turn).where(Turn.session_id == session_id).order_by(col(Turn.index)))
            return list(rows.all())
    finally:
        await engine.dispose()


async def test_a_whole_session_runs_through_the_model_engines(
    client: ApiClient, auth: dict[str, str], settings: Settings, provider: Any
) -> None:
    route = provider(_provider)
    session = await start(client, auth)
    status = "active"
    for _ in range(20):
        if status != "active":
            break
        reply = await hint(client, auth, session["id"])
        response = await client.post(
            f"/v1/sessions/{session['id']}/turns", json={"reply": reply}, headers=auth
        )
        assert response.status_code == 201, response.text
        turn = response.json()["turn"]
        assert turn["grade"]["engine"] == "llm" and turn["grade"]["degraded"] is False
        assert turn["grade"]["tip"] == JUDGE_TIP
        assert turn["partner"]["text"] == PARTNER_LINE
        status = response.json()["session"]["status"]
    assert status == "completed"
    stored = await _stored_turns(settings, session["id"])
    # One judge and one partner call per turn, and a safety check for the replies the offline screen
    # is unsure of (few of these hint replies, if any).
    checks = _safety_checks(route)
    assert route.call_count - checks == 2 * len(stored) and checks <= len(stored)
    assert all(t.judge_model and t.partner_model for t in stored)  # as the provider named them
    assert all(t.input_tokens > 0 and t.cost_usd > 0 and t.prompt_hash for t in stored)
    report = await client.get(f"/v1/sessions/{session['id']}/report", headers=auth)
    assert report.status_code == 200


@pytest.mark.parametrize(
    "failure",
    [
        lambda request: httpx.Response(500, json={"error": {"message": "upstream exploded"}}),
        lambda request: httpx.Response(429, json={"error": {"message": "insufficient_quota"}}),
        lambda request: (_ for _ in ()).throw(httpx.ReadTimeout("the model took too long", request=request)),
        lambda request: httpx.Response(200, json=openai_answer("this is not JSON at all")),
    ],
    ids=["server-error", "quota", "timeout", "garbage"],
)
async def test_a_failing_provider_gives_a_degraded_turn_that_is_stored(
    client: ApiClient,
    auth: dict[str, str],
    settings: Settings,
    provider: Any,
    failure: Callable[[httpx.Request], httpx.Response],
) -> None:
    provider(failure)
    session = await start(client, auth)
    response = await client.post(
        f"/v1/sessions/{session['id']}/turns", json={"reply": "Just tell her no, honestly."}, headers=auth
    )
    assert response.status_code == 201, response.text
    turn = response.json()["turn"]
    assert turn["grade"]["degraded"] is True and turn["grade"]["engine"] == "rules"
    assert turn["grade"]["rubrics"]["not_fixing"]["score"] <= 1  # the rules grade stands in
    assert turn["partner"]["text"]  # the scripted partner answers
    [stored] = await _stored_turns(settings, session["id"])
    assert stored.degraded is True and stored.partner_text == turn["partner"]["text"]
    again = await client.get(f"/v1/sessions/{session['id']}", headers=auth)
    assert again.json()["turns"][0]["grade"]["degraded"] is True


# The model's safety check: a reply the offline screen lets through but the model flags pauses the
# session like a screened one, on turns, streamed turns and /v1/grade.
# Said without the words the offline screen reads, and read by its reader at 0.2: only the model can
# catch it here (the sentence of earlier tests, "...if I just wasn't around next year.", the reader catches).
UNSAID = "I don't really see a next year for me, honestly."


def _flags_unsaid(request: httpx.Request) -> httpx.Response:
    """The model names self_harm for ``UNSAID`` and nothing for any other reply."""
    body: dict[str, Any] = json.loads(request.content)
    if asks_safety_check(body):
        risky = "see a next year" in body["messages"][-1]["content"]
        return httpx.Response(200, json=safety_check_answer("self_harm" if risky else "none"))
    if "response_format" in body:
        return httpx.Response(200, json=_judge_answer())
    if body.get("stream"):
        stream = openai_stream(PARTNER_LINE)
        return httpx.Response(200, content=stream, headers={"content-type": "text/event-stream"})
    return httpx.Response(200, json=openai_answer(PARTNER_LINE))


def test_the_offline_screen_lets_the_reply_through() -> None:
    # The premise: without the model's check, this reply would be graded and role-played.
    assert Safety.load().check(UNSAID) is None


async def test_a_turn_the_model_flags_pauses_the_session_with_help(
    client: ApiClient, auth: dict[str, str], settings: Settings, provider: Any
) -> None:
    provider(_flags_unsaid)
    session_id = (await start(client, auth))["id"]
    response = await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": UNSAID}, headers=auth)
    assert response.status_code == 201, response.text
    body = response.json()
    turn = body["turn"]
    assert turn["screen"]["category"] == "self_harm" and turn["screen"]["resources"]
    assert turn.get("grade") is None and not (turn.get("partner") or {}).get("text")
    assert body["session"]["status"] == "paused"
    again = await client.post(
        f"/v1/sessions/{session_id}/turns", json={"reply": "It sounds hard."}, headers=auth
    )
    assert again.status_code == 409
    [stored] = await _stored_turns(settings, session_id)
    assert stored.screen is not None and stored.partner_text == "" and stored.input_tokens > 0
    resumed = await client.post(f"/v1/sessions/{session_id}/resume", headers=auth)
    assert resumed.status_code == 200
    listening = {"reply": "It sounds like work keeps coming first."}
    graded = await client.post(f"/v1/sessions/{session_id}/turns", json=listening, headers=auth)
    assert graded.status_code == 201 and graded.json()["turn"]["grade"]["engine"] == "llm"


async def test_a_streamed_turn_the_model_flags_sends_a_screen_event_and_no_words(
    client: ApiClient, auth: dict[str, str], provider: Any
) -> None:
    provider(_flags_unsaid)
    session_id = (await start(client, auth))["id"]
    url = f"/v1/sessions/{session_id}/turns/stream"
    response = await client.post(url, json={"reply": UNSAID}, headers=auth)
    assert response.status_code == 200
    names = [name for name, _ in events_of(response.text)]
    assert names == ["screen", "state", "done"]


async def test_grade_returns_the_screen_when_the_model_flags(
    client: ApiClient, auth: dict[str, str], provider: Any
) -> None:
    route = provider(_flags_unsaid)
    body = {"partner": "I feel like I'm never a priority for you.", "reply": UNSAID}
    flagged = (await client.post("/v1/grade", json=body, headers=auth)).json()
    assert set(flagged) == {"screen"} and flagged["screen"]["category"] == "self_harm"
    body["reply"] = "It sounds like you feel you always come after my work."
    graded = (await client.post("/v1/grade", json=body, headers=auth)).json()
    assert "rubrics" in graded and "screen" not in graded
    # The judge for each reply; the check only for the reply the offline screen is unsure of.
    assert route.call_count == 3 and _safety_checks(route) == 1
