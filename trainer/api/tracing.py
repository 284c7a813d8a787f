"""OpenTelemetry traces, when the standard ``OTEL_*`` variables ask for them (the ``otel`` extra).

Tracing is on when ``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` is set
(spans go there over OTLP/HTTP), or when ``OTEL_TRACES_EXPORTER`` is ``console`` (spans printed, for a
look) or ``otlp``. ``OTEL_TRACES_EXPORTER=none`` turns it off. Every other ``OTEL_*`` variable
(headers, sampler, resource attributes) is read by the OpenTelemetry SDK itself.

Each request becomes a server span carrying the request id; once routed (``name_span``, a
``before_request`` hook) it is named after its route template, so spans group by route, not by URL.
Without the extra installed, asking for traces stops the server at start with a message saying what
to install, rather than serving untraced while the operator believes otherwise.
"""

from __future__ import annotations

from typing import Any

from trainer.settings import Settings
from trainer.vocabulary.errors import TrainerError

INSTALL_HINT = "pip install 'listening-trainer[otel]'"


def tracing_wanted(settings: Settings) -> bool:
    exporter = (settings.otel_traces_exporter or "").strip().lower()
    if exporter == "none":
        return False
    return bool(
        exporter in {"console", "otlp"}
        or settings.otel_exporter_otlp_endpoint
        or settings.otel_exporter_otlp_traces_endpoint
    )


def _span_details(scope: Any) -> tuple[str, dict[str, Any]]:
    route = scope.get("path_template") or "unmatched"
    method = scope.get("method", "")
    return f"{method} {route}".strip(), {"http.route": route}


def tracing_plugin(settings: Settings, exporter: Any = None) -> Any | None:
    """Litestar's OpenTelemetry plugin over a tracer provider of our own, or None when not wanted.

    ``exporter`` replaces the one the variables name (tests pass an in-memory exporter).
    """
    if exporter is None and not tracing_wanted(settings):
        return None
    try:
        from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    except ImportError as error:
        missing = f"tracing is asked for (OTEL_* variables) but {error.name} is missing: {INSTALL_HINT}"
        raise TrainerError(missing) from None
    provider = TracerProvider(resource=Resource.create({"service.name": settings.otel_service_name}))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        provider.add_span_processor(BatchSpanProcessor(_exporter(settings)))
    config = OpenTelemetryConfig(
        tracer_provider=provider,
        scope_span_details_extractor=_span_details,
        server_request_hook_handler=_tag_request_id,
    )
    return OpenTelemetryPlugin(config)


def name_span(request: Any) -> None:
    """``before_request``: name the server span (current while the handler runs) after the route."""
    from opentelemetry import trace

    span = trace.get_current_span()
    route = request.scope.get("path_template")
    if route and span.is_recording():
        span.update_name(f"{request.method} {route}")
        span.set_attribute("http.route", route)


def _tag_request_id(span: Any, _scope: Any) -> None:
    from trainer.telemetry.context import current_request_id

    request_id = current_request_id()
    if request_id is not None and span is not None and span.is_recording():
        span.set_attribute("http.request_id", request_id)


def _exporter(settings: Settings) -> Any:
    if (settings.otel_traces_exporter or "").strip().lower() == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()  # reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, headers, timeout
