"""``trainer llm check`` says which model answers and what is wrong with the others."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from tests.llm.conftest import openai_answer
from tests.llm.test_shape import gpt5_server
from trainer.cli import main
from trainer.settings import Settings

BASE = "http://127.0.0.1:9/v1"  # never reached: respx answers


def run_check(monkeypatch: pytest.MonkeyPatch, **env: str) -> int:
    for name in [n for n in Settings.model_fields if n.startswith("llm_")]:
        monkeypatch.delenv(f"TRAINER_{name.upper()}", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return main(["llm", "check"])


def test_a_healthy_provider_is_ok_and_the_learnt_parameters_are_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if "response_format" in body and "max_completion_tokens" in body and "temperature" not in body:
            return httpx.Response(200, json=openai_answer('{"evidence": "ready", "ok": true}'))
        return gpt5_server(request)

    with respx.mock(assert_all_mocked=True) as router:
        router.post(f"{BASE}/chat/completions").mock(side_effect=server)
        status = run_check(monkeypatch, TRAINER_LLM_BASE_URL=BASE, TRAINER_LLM_MODEL="gpt-5-mini")
    out = capsys.readouterr().out
    assert status == 0, out
    assert "judge (openai gpt-5-mini): ok" in out and "partner (openai gpt-5-mini): ok" in out
    assert "sends max_completion_tokens instead of max_tokens" in out


def test_a_bad_key_is_named_with_the_variable_to_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    refused = {
        "type": "error",
        "error": {"type": "authentication_error", "message": "invalid x-api-key"},
    }
    with respx.mock(assert_all_mocked=True) as router:
        route = router.post("https://api.anthropic.com/v1/messages")
        route.mock(return_value=httpx.Response(401, json=refused))
        status = run_check(
            monkeypatch,
            TRAINER_LLM_PROVIDER="anthropic",
            TRAINER_LLM_API_KEY="sk-ant-wrong",
            TRAINER_LLM_MODEL="claude-haiku-4-5",
        )
    out = capsys.readouterr().out
    assert status == 1
    assert "authentication_error: invalid x-api-key" in out and "check TRAINER_LLM_API_KEY" in out
    assert "circuit open after configuration fault" in out  # the partner is not asked again


def test_no_model_configured(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_check(monkeypatch) == 2
    assert "no model is configured" in capsys.readouterr().out
