"""The HTTP application: ``create_app(settings) -> Litestar``.

The lifespan owns the two shared resources of a worker: the async database engine and ONE pooled
``httpx.AsyncClient`` for model providers. Both live in ``app.state`` and are closed on shutdown.
Nothing else is kept between requests. The content library is loaded (and validated) before the
app exists, so a bad scenario or rubric file stops the server from starting.

Around the whole app (routing and error handling included) sits ``RequestContextMiddleware``: the
request id, the access line and the request metrics (``trainer.api.access``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from sqlmodel.ext.asyncio.session import AsyncSession

import trainer
from trainer.api.access import RequestContextMiddleware
from trainer.api.auth import BearerAuthMiddleware, KeyCache, provide_principal
from trainer.api.document import finish_document
from trainer.api.edge import InputEdgeMiddleware, accurate_allow_header
from trainer.api.health import HEALTH_ROUTE_HANDLERS
from trainer.api.logs import configure_logging
from trainer.api.metrics import metrics_endpoint
from trainer.api.problems import EXCEPTION_HANDLERS
from trainer.api.ratelimit import RateLimiter, key_rate_limit
from trainer.api.tracing import name_span, tracing_plugin
from trainer.authoring.controller import (
    check_scenario_route,
    create_scenario_route,
    replace_scenario_route,
    retire_scenario_route,
)
from trainer.cohorts.controller import CohortsController
from trainer.content.controller import ScenariosController
from trainer.content.library import ContentLibrary
from trainer.engines import Engines
from trainer.sessions.controller import SessionsController
from trainer.sessions.grade_controller import grade_reply
from trainer.sessions.learners_controller import LearnersController
from trainer.sessions.service import TurnTasks
from trainer.settings import Settings
from trainer.store.db import Sessionmaker, create_engine, create_sessionmaker
from trainer.telemetry import metrics
from trainer.web import WEB_ROUTE_HANDLERS, web_security_headers
from trainer.web.csrf import CrossSiteMiddleware
from trainer.web.join_limits import JoinLimits

V1_ROUTE_HANDLERS: list[Any] = [
    ScenariosController,
    check_scenario_route,
    create_scenario_route,
    replace_scenario_route,
    retire_scenario_route,
    SessionsController,
    LearnersController,
    CohortsController,
    grade_reply,
]


def create_http_client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        # As many connections as model calls may be in flight, all kept: calls come in bursts.
        limits=httpx.Limits(
            max_connections=settings.llm_max_in_flight,
            max_keepalive_connections=settings.llm_max_in_flight,
        ),
        timeout=httpx.Timeout(settings.llm_timeout, connect=settings.llm_connect_timeout),
    )


def _lifespan(settings: Settings, library: ContentLibrary) -> Any:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        engine = create_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
        )
        http = create_http_client(settings)
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)
        app.state.http = http
        app.state.engines = Engines.from_settings(settings, http, library.rubrics)
        app.state.rate_limiter = RateLimiter.from_settings(settings)
        app.state.join_limits = JoinLimits.from_settings(settings)
        app.state.turn_tasks = TurnTasks()
        app.state.key_cache = KeyCache(settings.key_cache_seconds)
        try:
            yield
        finally:
            await app.state.turn_tasks.drain()  # streamed turns still being stored
            await app.state.rate_limiter.aclose()
            await app.state.join_limits.aclose()
            await http.aclose()
            await engine.dispose()
            metrics.mark_worker_stopped()

    return lifespan


async def provide_db(state: State) -> AsyncIterator[AsyncSession]:
    """One database session per request; handlers commit what they write."""
    sessionmaker: Sessionmaker = state.sessionmaker
    async with sessionmaker() as db:
        yield db


def provide_http(state: State) -> httpx.AsyncClient:
    client: httpx.AsyncClient = state.http
    return client


def provide_engines(state: State) -> Engines:
    """The worker's one set of turn engines (offline unless a model is configured)."""
    engines: Engines = state.engines
    return engines


def provide_rate_limiter(state: State) -> RateLimiter:
    limiter: RateLimiter = state.rate_limiter
    return limiter


def provide_turn_tasks(state: State) -> TurnTasks:
    tasks: TurnTasks = state.turn_tasks
    return tasks


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="trainer",
        version=trainer.__version__,
        description="Practise listening to a partner: a simulated partner, graded replies.",
        path="/schema",
        render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin()],
        components=Components(
            security_schemes={
                "BearerKey": SecurityScheme(type="http", scheme="bearer", description="API key")
            }
        ),
    )


def create_app(
    settings: Settings, *, library: ContentLibrary | None = None, v1_handlers: list[Any] | None = None
) -> Litestar:
    """The API for ``settings``. ``library`` defaults to the files the settings point at."""
    content = library if library is not None else ContentLibrary.load(settings)
    v1 = Router(
        path="/v1",
        route_handlers=[*V1_ROUTE_HANDLERS, *(v1_handlers or [])],
        middleware=[DefineMiddleware(BearerAuthMiddleware)],
        dependencies={"principal": Provide(provide_principal, sync_to_thread=False)},
        guards=[key_rate_limit],
        security=[{"BearerKey": []}],
    )
    operations: list[Any] = [*HEALTH_ROUTE_HANDLERS]
    if settings.metrics_enabled:
        operations.append(metrics_endpoint)
    tracing = tracing_plugin(settings)
    app = Litestar(
        route_handlers=[*operations, v1, *WEB_ROUTE_HANDLERS],
        before_send=[web_security_headers, accurate_allow_header],
        middleware=[
            DefineMiddleware(InputEdgeMiddleware, max_body_bytes=settings.max_body_bytes),
            CrossSiteMiddleware,
        ],
        lifespan=[_lifespan(settings, content)],
        dependencies={
            "db": Provide(provide_db),
            "http": Provide(provide_http, sync_to_thread=False),
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
            "library": Provide(lambda: content, use_cache=True, sync_to_thread=False),
            "engines": Provide(provide_engines, sync_to_thread=False),
            "limiter": Provide(provide_rate_limiter, sync_to_thread=False),
            "turn_tasks": Provide(provide_turn_tasks, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=_openapi(),
        logging_config=None,
        plugins=[tracing] if tracing is not None else [],
        before_request=name_span if tracing is not None else None,
        debug=False,
    )
    finish_document(app, sorted(content.scenarios))
    app.asgi_handler = RequestContextMiddleware(app.asgi_handler)
    return app


def app_from_environment() -> Litestar:
    """For ``uvicorn --factory`` (each of several workers): settings from the ``TRAINER_*``
    environment, and the same JSON logs as the parent (a worker is a fresh process)."""
    settings = Settings()
    configure_logging(settings.log_level)
    return create_app(settings)
