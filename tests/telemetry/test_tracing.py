"""OpenTelemetry: off unless its variables ask; then one server span per request, by route template."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from trainer import app as app_module
from trainer.api.tracing import tracing_plugin, tracing_wanted
from trainer.content.library import ContentLibrary
from trainer.settings import Settings


@pytest.mark.parametrize(
    ("variables", "wanted"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_EXPORTER": "none"}, False),
    ],
)
def test_tracing_follows_the_standard_variables(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], wanted: bool
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert tracing_wanted(settings) is wanted
    assert (tracing_plugin(settings) is not None) is wanted


async def test_each_request_is_a_span_named_by_its_route_with_the_request_id(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, library: ContentLibrary, api_key: str
) -> None:
    spans = InMemorySpanExporter()

    def with_memory(chosen: Settings) -> Any:
        return tracing_plugin(chosen, exporter=spans)

    monkeypatch.setattr(app_module, "tracing_plugin", with_memory)
    app = app_module.create_app(settings, library=library)
    async with AsyncTestClient(app=app) as client:
        headers = {"X-Request-ID": "trace-me-1", "Authorization": f"Bearer {api_key}"}
        assert (await client.get("/v1/scenarios/test-partner", headers=headers)).status_code == 200
    server = [span for span in spans.get_finished_spans() if span.kind.name == "SERVER"]
    assert [span.name for span in server] == ["GET /v1/scenarios/{scenario_id}"]
    assert server[0].attributes is not None
    assert server[0].attributes["http.request_id"] == "trace-me-1"
    assert server[0].attributes["http.status_code"] == 200
