"""``GET /healthz``: the process is up, its database answers, and how the model provider is doing.

No key needed. The database is required (503 without it); the model is not (turns degrade to the
offline engines), so its state is reported, not failed on: ``offline`` (no model configured),
``ok``, ``open`` (the breaker is open after failures) or ``configuration_fault`` (a 401, 403 or 404:
the key, the model or the URL is wrong; ``detail`` says which, and ``trainer llm check`` too).
"""

from __future__ import annotations

import logging
from typing import Literal

from litestar import get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import ServiceUnavailableException
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.llm.resilience import BreakerState, CircuitBreaker

logger = logging.getLogger("trainer.api")


class ModelHealth(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: Literal["offline", "ok", "open", "configuration_fault"]
    detail: str | None = None


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["ok"]
    model: ModelHealth


def model_health(state: State) -> ModelHealth:
    engines = getattr(state, "engines", None)
    breaker = getattr(getattr(engines, "judge", None), "breaker", None)
    if not isinstance(breaker, CircuitBreaker):
        return ModelHealth(state="offline")
    if breaker.fault is not None:
        return ModelHealth(state="configuration_fault", detail=breaker.fault)
    if breaker.state is BreakerState.open:
        return ModelHealth(state="open", detail=f"{breaker.failures} failed calls in a row")
    return ModelHealth(state="ok")


@get("/healthz", tags=["health"], summary="Liveness, database and model provider check")
async def healthz(db: NamedDependency[AsyncSession], state: State) -> Health:
    try:
        connection = await db.connection()
        await connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        logger.warning("health check: database unavailable (%s)", type(error).__name__)
        raise ServiceUnavailableException("The database is unavailable") from error
    return Health(status="ok", model=model_health(state))
