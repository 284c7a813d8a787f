"""``/livez``, ``/readyz`` and ``/healthz`` (an alias of ``/readyz``). No key needed.

- ``/livez``: the process answers. Nothing else is checked: a load balancer or an orchestrator that
  restarts on a failed liveness check must not restart every replica because the database blinked.
- ``/readyz``: this worker can serve turns. The database must answer (else 503, and a load balancer
  stops sending it traffic). Redis, when configured, is reported but never fails the check: without
  it the rate limits fail open and every request is still served, so taking replicas out would turn a
  Redis outage into a full one. The model configuration, when set, is reported (provider and models).

``status`` is ``ok`` when every check passes and ``degraded`` when only Redis does not answer.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from litestar import get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import ServiceUnavailableException
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from trainer.api.ratelimit import RateLimiter
from trainer.llm.resilience import BreakerState, CircuitBreaker
from trainer.settings import Settings
from trainer.store.db import Sessionmaker

logger = logging.getLogger("trainer.telemetry")
DATABASE_TIMEOUT_S = 2.0

CheckStatus = Literal["ok", "unavailable", "not_configured"]


class Check(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: CheckStatus
    detail: str | None = None


class Readiness(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["ok", "degraded"]
    checks: dict[str, Check]


class Liveness(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["ok"]


async def database_check(sessionmaker: Sessionmaker) -> Check:
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_S), sessionmaker() as db:
            connection = await db.connection()
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError, TimeoutError) as error:
        logger.warning("readiness: database unavailable (%s)", type(error).__name__)
        return Check(status="unavailable", detail=type(error).__name__)
    return Check(status="ok")


async def redis_check(settings: Settings, limiter: RateLimiter | None) -> Check:
    if not settings.redis_url or limiter is None:
        return Check(status="not_configured")
    if await limiter.shared_store_answers():
        return Check(status="ok")
    return Check(status="unavailable", detail="rate limits are not enforced until Redis answers (fail open)")


def model_check(settings: Settings, state: State) -> Check:
    """The model provider as this worker sees it, without calling it: its circuit breaker's state.

    Turns never fail for the model (they fall back to the offline engines, marked degraded), so a
    model that does not answer makes the service ``degraded``, never unready.
    """
    if not settings.llm_enabled:
        return Check(status="not_configured", detail="offline engines")
    judge = settings.llm_judge_model or settings.llm_model
    partner = settings.llm_partner_model or settings.llm_model
    named = f"{settings.llm_provider}: judge {judge}, partner {partner}"
    engines = getattr(state, "engines", None)
    breaker = getattr(getattr(engines, "judge", None), "breaker", None)
    if isinstance(breaker, CircuitBreaker):
        if breaker.fault is not None:
            return Check(status="unavailable", detail=f"{named}; configuration fault: {breaker.fault}")
        if breaker.state is BreakerState.open:
            detail = f"{named}; breaker open after {breaker.failures} failures"
            return Check(status="unavailable", detail=detail)
    return Check(status="ok", detail=named)


async def readiness(state: State, settings: Settings) -> Readiness:
    limiter: RateLimiter | None = getattr(state, "rate_limiter", None)
    database, redis = await asyncio.gather(database_check(state.sessionmaker), redis_check(settings, limiter))
    checks = {"database": database, "redis": redis, "model": model_check(settings, state)}
    if database.status != "ok":
        raise ServiceUnavailableException(f"The database is unavailable ({database.detail})")
    degraded = any(check.status == "unavailable" for check in checks.values())
    return Readiness(status="degraded" if degraded else "ok", checks=checks)


@get("/livez", tags=["operations"], summary="Liveness: the process answers", sync_to_thread=False)
def livez() -> Liveness:
    return Liveness(status="ok")


@get(
    ["/readyz", "/healthz"],
    tags=["operations"],
    summary="Readiness: database (503 when down), Redis and model configuration",
)
async def readyz(state: State, settings: NamedDependency[Settings]) -> Readiness:
    return await readiness(state, settings)


HEALTH_ROUTE_HANDLERS = [livez, readyz]
