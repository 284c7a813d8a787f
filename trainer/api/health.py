"""``GET /healthz``: the process is up and its database answers. No key needed."""

from __future__ import annotations

import logging

from litestar import get
from litestar.di import NamedDependency
from litestar.exceptions import ServiceUnavailableException
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.api.schemas import Health

logger = logging.getLogger("trainer.api")


@get("/healthz", tags=["health"], summary="Liveness and database check")
async def healthz(db: NamedDependency[AsyncSession]) -> Health:
    try:
        connection = await db.connection()
        await connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        logger.warning("health check: database unavailable (%s)", type(error).__name__)
        raise ServiceUnavailableException("The database is unavailable") from error
    return Health(status="ok")
