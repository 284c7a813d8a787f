"""Build the judge's and the partner's chat models from settings, over the app's one HTTP client."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from trainer.llm.anthropic import DEFAULT_BASE_URL, Anthropic
from trainer.llm.http import ClientOptions
from trainer.llm.openai import OpenAICompatible
from trainer.llm.pricing import PriceTable
from trainer.llm.resilience import CircuitBreaker, Clock, RetryPolicy, SystemClock
from trainer.llm.types import ChatModel
from trainer.settings import Settings
from trainer.telemetry.metrics import observe_breaker
from trainer.vocabulary.errors import TrainerError


@dataclass(frozen=True)
class Models:
    judge: ChatModel
    partner: ChatModel


def build_models(settings: Settings, client: httpx.AsyncClient, clock: Clock | None = None) -> Models | None:
    """The configured models, or None when no model is configured (the offline engines then run).

    Both models share one circuit breaker: they talk to the same provider, so when it is down
    neither should keep knocking.
    """
    if not settings.llm_enabled:
        return None
    judge_model = settings.llm_judge_model or settings.llm_model
    partner_model = settings.llm_partner_model or settings.llm_model
    if not judge_model or not partner_model:
        raise TrainerError(
            "a model provider is configured but no model is named: set TRAINER_LLM_MODEL "
            "(or TRAINER_LLM_JUDGE_MODEL and TRAINER_LLM_PARTNER_MODEL)"
        )
    clock = clock or SystemClock()
    options = ClientOptions(
        connect_timeout=settings.llm_connect_timeout,
        timeout=settings.llm_timeout,
        retry=RetryPolicy(max_retries=settings.llm_max_retries, max_retry_after=settings.llm_timeout),
        prices=PriceTable(dict(settings.llm_prices)),
        clock=clock,
        breaker=CircuitBreaker(
            settings.llm_provider,
            settings.llm_breaker_failures,
            settings.llm_breaker_reset_seconds,
            clock,
            on_change=observe_breaker,
        ),
        slots=asyncio.Semaphore(settings.llm_max_in_flight),
    )
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if settings.llm_provider == "anthropic":
        if not api_key:
            raise TrainerError("TRAINER_LLM_API_KEY is required for the anthropic provider")
        base_url = settings.llm_base_url or DEFAULT_BASE_URL
        return Models(
            judge=Anthropic(client, api_key, judge_model, base_url=base_url, options=options),
            partner=Anthropic(client, api_key, partner_model, base_url=base_url, options=options),
        )
    base_url = settings.llm_base_url or ""
    return Models(
        judge=OpenAICompatible(client, base_url, api_key, judge_model, options=options),
        partner=OpenAICompatible(client, base_url, api_key, partner_model, options=options),
    )
