from __future__ import annotations

import httpx
import pytest
import respx
from pydantic import SecretStr

from tests.llm.conftest import ManualClock, openai_answer
from trainer.llm import Anthropic, OpenAICompatible, build_models
from trainer.llm.types import user
from trainer.settings import Settings
from trainer.vocabulary.errors import TrainerError


def settings(**values: object) -> Settings:
    return Settings.model_validate(values)


async def test_no_model_configured_means_offline(client: httpx.AsyncClient) -> None:
    assert build_models(settings(), client) is None


async def test_openai_compatible_models_share_one_breaker_and_price_table(
    client: httpx.AsyncClient, router: respx.MockRouter
) -> None:
    configured = settings(
        llm_base_url="http://local.test/v1",
        llm_model="base",
        llm_judge_model="judge-m",
        llm_prices={"judge-m": (2.0, 8.0)},
        llm_breaker_failures=1,
        llm_max_retries=0,
    )
    models = build_models(configured, client, clock=ManualClock())
    assert models is not None
    assert isinstance(models.judge, OpenAICompatible) and isinstance(models.partner, OpenAICompatible)
    assert (models.judge.name, models.partner.name) == ("judge-m", "base")
    assert models.judge.breaker is models.partner.breaker

    router.post("http://local.test/v1/chat/completions").mock(
        return_value=httpx.Response(200, json=openai_answer("ok", model="judge-m"))
    )
    completion = await models.judge.complete([user("hi")])
    assert completion.usage.cost_usd == pytest.approx((1200 * 2.0 + 300 * 8.0) / 1_000_000)


async def test_anthropic_from_a_key_alone(client: httpx.AsyncClient) -> None:
    models = build_models(
        settings(
            llm_provider="anthropic", llm_api_key=SecretStr("sk-ant"), llm_model="claude-3-5-haiku-latest"
        ),
        client,
    )
    assert models is not None and isinstance(models.partner, Anthropic)


async def test_a_provider_without_a_model_name_is_a_configuration_error(client: httpx.AsyncClient) -> None:
    with pytest.raises(TrainerError, match="TRAINER_LLM_MODEL"):
        build_models(settings(llm_base_url="http://local.test/v1"), client)
