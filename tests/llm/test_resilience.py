from __future__ import annotations

import logging

import httpx
import pytest
import respx

from tests.llm.conftest import OPENAI_URL, ManualClock, make_options, openai_answer
from trainer.llm import OpenAICompatible
from trainer.llm.http import ConfigurationFault
from trainer.llm.resilience import BreakerState, CircuitBreaker, RetryPolicy, parse_retry_after
from trainer.llm.types import user
from trainer.vocabulary.errors import ProviderUnavailable

URL = f"{OPENAI_URL}/chat/completions"


def test_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "3"}, now=0) == 3.0
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}, now=0) == 1.5
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:05 GMT"}, now=1445412480.0) == 5.0
    assert parse_retry_after({"retry-after": "soon"}, now=0) is None
    assert parse_retry_after({}, now=0) is None


def test_backoff_grows_is_capped_and_jittered() -> None:
    low = RetryPolicy(base_delay=1.0, max_delay=4.0, jitter=lambda: 0.0)
    high = RetryPolicy(base_delay=1.0, max_delay=4.0, jitter=lambda: 0.999)
    assert [low.delay(n, None) for n in range(4)] == [0.5, 1.0, 2.0, 2.0]
    assert high.delay(3, None) == pytest.approx(4.0 * 0.9995)
    assert low.delay(0, retry_after=2.5) == 2.5


async def test_breaker_opens_after_consecutive_failed_calls_and_then_fails_fast(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    options = make_options(clock, retries=0, breaker_failures=3)
    route = router.post(URL).mock(return_value=httpx.Response(502))
    model = OpenAICompatible(client, OPENAI_URL, None, "gpt-4o-mini", options=options)
    for _ in range(3):
        with pytest.raises(ProviderUnavailable, match="HTTP 502"):
            await model.complete([user("hi")])
    assert model.breaker.state is BreakerState.open
    with pytest.raises(ProviderUnavailable, match="circuit open"):
        await model.complete([user("hi")])
    assert route.call_count == 3  # the open breaker sent nothing


async def test_breaker_half_opens_after_reset_and_a_good_probe_closes_it(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    options = make_options(clock, retries=0, breaker_failures=2)
    route = router.post(URL).mock(
        side_effect=[
            httpx.Response(500),
            httpx.Response(500),
            httpx.Response(200, json=openai_answer("back")),
        ]
    )
    model = OpenAICompatible(client, OPENAI_URL, None, "gpt-4o-mini", options=options)
    for _ in range(2):
        with pytest.raises(ProviderUnavailable):
            await model.complete([user("hi")])
    clock.advance(29)
    with pytest.raises(ProviderUnavailable, match="circuit open"):
        await model.complete([user("hi")])
    clock.advance(1)
    assert (await model.complete([user("hi")])).text == "back"
    assert model.breaker.state is BreakerState.closed and route.call_count == 3


def test_a_failed_probe_opens_the_breaker_again() -> None:
    clock = ManualClock()
    breaker = CircuitBreaker("p", failure_threshold=1, reset_seconds=10, clock=clock)
    breaker.record_failure()
    clock.advance(10)
    assert breaker.acquire() is True  # this call is the probe
    with pytest.raises(ProviderUnavailable, match="probe"):
        breaker.acquire()  # only one probe at a time
    breaker.record_failure()
    assert breaker.state is BreakerState.open
    with pytest.raises(ProviderUnavailable, match="circuit open"):
        breaker.acquire()


def test_a_probe_that_never_finished_lets_the_next_call_probe() -> None:
    clock = ManualClock()
    breaker = CircuitBreaker("p", failure_threshold=1, reset_seconds=5, clock=clock)
    breaker.record_failure()
    clock.advance(5)
    assert breaker.acquire() is True
    breaker.release_probe()
    assert breaker.acquire() is True


async def test_a_bad_key_is_a_configuration_fault_that_opens_the_breaker_at_once(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    options = make_options(clock, retries=2, breaker_failures=5)
    route = router.post(URL).mock(
        return_value=httpx.Response(
            401,
            json={
                "error": {
                    "message": "Incorrect API key provided: sk-wrong. You can find your API key at "
                    "https://platform.openai.com/account/api-keys.",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "invalid_api_key",
                }
            },
        )
    )
    model = OpenAICompatible(client, OPENAI_URL, "sk-wrong", "gpt-4o-mini", options=options)
    with caplog.at_level(logging.ERROR), pytest.raises(ConfigurationFault):
        await model.complete([user("hi")])
    assert model.breaker.state is BreakerState.open
    assert model.breaker.fault is not None and "API key is not accepted" in model.breaker.fault
    with pytest.raises(ProviderUnavailable, match="configuration fault"):
        await model.complete([user("hi")])
    assert route.call_count == 1  # no retry, and nothing sent while the breaker is open
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "invalid_api_key" in errors[0].getMessage()
    # a later probe that fails the same way opens it again without a second ERROR line
    clock.advance(30)
    with pytest.raises(ConfigurationFault):
        await model.complete([user("hi")])
    assert len([r for r in caplog.records if r.levelno == logging.ERROR]) == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (
            403,
            {
                "message": "Project `proj_abc` does not have access to model `gpt-5`",
                "type": "invalid_request_error",
                "code": "model_not_found",
            },
        ),
        (
            404,
            {
                "message": "The model `gpt-5-typo` does not exist or you do not have access to it.",
                "type": "invalid_request_error",
                "param": None,
                "code": "model_not_found",
            },
        ),
    ],
)
async def test_no_access_or_no_such_model_is_a_configuration_fault(
    client: httpx.AsyncClient,
    clock: ManualClock,
    router: respx.MockRouter,
    status: int,
    error: dict[str, str],
) -> None:
    router.post(URL).mock(return_value=httpx.Response(status, json={"error": error}))
    model = OpenAICompatible(client, OPENAI_URL, "sk", "gpt-5-typo", options=make_options(clock))
    with pytest.raises(ConfigurationFault):
        await model.complete([user("hi")])
    assert model.breaker.state is BreakerState.open and "model_not_found" in (model.breaker.fault or "")


async def test_a_success_clears_the_fault(
    client: httpx.AsyncClient, clock: ManualClock, router: respx.MockRouter
) -> None:
    router.post(URL).mock(
        side_effect=[
            httpx.Response(404, json={"error": {"message": "Not found"}}),
            httpx.Response(200, json=openai_answer("ok")),
        ]
    )
    model = OpenAICompatible(client, OPENAI_URL, None, "gpt-4o-mini", options=make_options(clock))
    with pytest.raises(ConfigurationFault):
        await model.complete([user("hi")])
    clock.advance(30)
    assert (await model.complete([user("hi")])).text == "ok"
    assert model.breaker.state is BreakerState.closed and model.breaker.fault is None
