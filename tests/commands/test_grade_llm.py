"""`trainer grade --engine llm`: the JSONL contract kept, graded by the model judge (respx, no network)."""

from __future__ import annotations

import argparse
import io
import json
from typing import Any

import httpx
import respx

from tests.llm.conftest import asks_safety_check, safety_check_answer
from trainer.commands.grade_llm import run_llm
from trainer.settings import Settings

BASE = "http://models.test/v1"


def _settings(safety_check: bool = False) -> Settings:
    return Settings(
        llm_base_url=BASE,
        llm_model="judge-1",
        llm_max_retries=0,
        llm_prices={"judge-1": (1.0, 2.0)},
        model_safety_check=safety_check,
    )


def _answer(reply: str) -> dict[str, Any]:
    verdict = {
        "behaviours": [{"code": "reflection", "evidence": " ".join(reply.split()[:4])}],
        "rubrics": {
            name: {"score": 2, "reason": "A fair attempt.", "evidence": ""}
            for name in ("reflection", "validation", "not_fixing", "open_questions", "partner_focus")
        },
        "tip": "Name the feeling you hear.",
    }
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "judge-1",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": json.dumps(verdict)},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 900, "completion_tokens": 120, "total_tokens": 1020},
    }


def _judge_replies(request: httpx.Request) -> httpx.Response:
    text = json.loads(request.content)["messages"][-1]["content"]
    reply = "It sounds like you felt left behind" if "left behind" in text else "So the trip mattered"
    return httpx.Response(200, json=_answer(reply))


def _run(lines: list[str], settings: Settings | None = None) -> list[dict[str, Any]]:
    out = io.StringIO()
    args = argparse.Namespace(engine="llm", concurrency=4)
    source = io.StringIO("".join(line + "\n" for line in lines))
    assert run_llm(settings or _settings(), args, source, out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_lines_are_judged_by_the_model_and_written_in_order() -> None:
    lines = [
        json.dumps(
            {
                "id": 1,
                "partner": "You left me behind at the party.",
                "reply": "It sounds like you felt left behind when I wandered off.",
            }
        ),
        "not json",
        json.dumps(
            {"id": "b", "partner": "The trip mattered to me.", "reply": "So the trip mattered a lot."}
        ),
    ]
    with respx.mock(assert_all_called=True) as router:
        route = router.post(f"{BASE}/chat/completions").mock(side_effect=_judge_replies)
        outputs = _run(lines)
    assert route.call_count == 2
    assert [o.get("id") for o in outputs] == [1, None, "b"]
    assert outputs[1]["error"]["type"] == "invalid_json"
    for output in (outputs[0], outputs[2]):
        assert output["engine"] == "llm" and "degraded" not in output
        assert set(output["rubrics"]) == {
            "reflection",
            "validation",
            "not_fixing",
            "open_questions",
            "partner_focus",
        }
        assert output["tip"] == "Name the feeling you hear."
    # evidence is found on word boundaries only: a cut word ("It sounds like you f") would not be
    assert outputs[0]["behaviours"] == [{"code": "reflection", "evidence": "It sounds like you"}]


def test_a_failing_provider_gives_the_rules_grade_marked_degraded() -> None:
    line = json.dumps({"id": 7, "partner": "I'm worn out.", "reply": "Just go to bed earlier."})
    with respx.mock(assert_all_called=True) as router:
        router.post(f"{BASE}/chat/completions").mock(return_value=httpx.Response(500, json={"error": "boom"}))
        [output] = _run([line])
    assert output["id"] == 7
    assert output["engine"] == "rules" and output["degraded"] is True
    assert output["rubrics"]["not_fixing"]["score"] <= 1
    assert any(b["code"] == "advice" for b in output["behaviours"])


def test_a_line_the_models_safety_check_flags_gets_the_screen_object() -> None:
    unsaid = "I don't really see a next year for me, honestly."  # the offline screen lets it through

    def provider(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if asks_safety_check(body):
            risky = "see a next year" in body["messages"][-1]["content"]
            return httpx.Response(200, json=safety_check_answer("self_harm" if risky else "none"))
        return _judge_replies(request)

    lines = [
        json.dumps({"id": 1, "partner": "You never make time for me.", "reply": unsaid}),
        json.dumps({"id": 2, "partner": "The trip mattered to me.", "reply": "So the trip mattered a lot."}),
    ]
    with respx.mock(assert_all_called=True) as router:
        route = router.post(f"{BASE}/chat/completions").mock(side_effect=provider)
        flagged, graded = _run(lines, _settings(safety_check=True))
    # The judge for each line; the check only for the line the offline screen is unsure of.
    assert route.call_count == 3
    assert set(flagged) == {"id", "screen"} and flagged["screen"]["category"] == "self_harm"
    assert flagged["screen"]["resources"]
    assert graded["id"] == 2 and graded["engine"] == "llm" and "screen" not in graded

