"""Every response carries an X-Request-ID; every request leaves one access line and its metrics."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import ApiClient
from trainer.app import create_app
from trainer.content.library import ContentLibrary
from trainer.settings import Settings
from trainer.store.keys import prefix_of
from trainer.telemetry.context import RequestIdFilter


class Records(logging.Handler):
    """Every record that reaches the root logger, after the request-id filter (as in production)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def access(self) -> list[logging.LogRecord]:
        return [record for record in self.records if record.name == "trainer.access"]


@pytest.fixture
def records() -> Iterator[Records]:
    handler = Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def start_session(client: ApiClient, auth: dict[str, str]) -> str:
    created = await client.post(
        "/v1/sessions", json={"scenario_id": "test-partner", "learner_id": "l-1"}, headers=auth
    )
    assert created.status_code == 201
    return str(created.json()["id"])


@pytest.mark.parametrize(
    ("path", "status"), [("/livez", 200), ("/no/such/page", 404), ("/v1/scenarios", 401)]
)
async def test_every_response_has_a_request_id_even_before_routing(
    client: ApiClient, path: str, status: int
) -> None:
    response = await client.get(path)
    assert response.status_code == status
    assert len(response.headers["x-request-id"]) == 32


async def test_the_callers_request_id_is_kept_and_a_strange_one_replaced(client: ApiClient) -> None:
    kept = await client.get("/livez", headers={"X-Request-ID": "lb-1234.abc"})
    assert kept.headers["x-request-id"] == "lb-1234.abc"
    replaced = await client.get("/livez", headers={"X-Request-ID": "two words\tand a tab"})
    assert replaced.headers["x-request-id"] not in {"two words\tand a tab", ""}
    assert len(replaced.headers.get_list("x-request-id")) == 1


async def test_one_access_line_per_request_with_the_route_template_and_the_key_prefix(
    client: ApiClient, auth: dict[str, str], api_key: str, records: Records
) -> None:
    session_id = await start_session(client, auth)
    records.records.clear()
    reply = "It sounds like the cancelled plan really hurt. The secret words stay out of logs."
    response = await client.post(
        f"/v1/sessions/{session_id}/turns?token=do-not-log-me",
        json={"reply": reply},
        headers={**auth, "X-Request-ID": "req-turn-1"},
    )
    assert response.status_code == 201
    (line,) = records.access()
    assert line.__dict__["method"] == "POST" and line.__dict__["status"] == 201
    assert line.__dict__["route"] == "/v1/sessions/{session_id}/turns"
    assert line.__dict__["key_prefix"] == prefix_of(api_key)
    assert line.__dict__["request_id"] == "req-turn-1"
    assert 0 < line.__dict__["duration_ms"] < 10_000
    served = [record for record in records.records if record.name != "httpx"]  # httpx: the test client
    logged = " ".join(str(value) for record in served for value in record.__dict__.values())
    assert "do-not-log-me" not in logged and "secret words" not in logged and session_id not in logged


async def test_an_unknown_path_is_logged_as_unmatched_not_by_its_path(
    client: ApiClient, records: Records
) -> None:
    await client.get("/wp-admin/install.php")
    (line,) = records.access()
    assert line.__dict__["route"] == "unmatched" and line.__dict__["status"] == 404
    assert line.__dict__["key_prefix"] is None


async def test_log_lines_written_while_serving_carry_the_request_id(
    app: Litestar, client: ApiClient, records: Records
) -> None:
    # A sessionmaker bound to nothing: the readiness check fails and logs a warning inside the request.
    app.state.sessionmaker.kw["bind"] = None
    response = await client.get("/readyz", headers={"X-Request-ID": "ready-check-7"})
    assert response.status_code == 503
    warnings = [record for record in records.records if record.levelno == logging.WARNING]
    assert warnings and all(record.__dict__.get("request_id") == "ready-check-7" for record in warnings)


async def test_metrics_count_requests_by_route_and_turns_by_engine(
    client: ApiClient, auth: dict[str, str]
) -> None:
    def sample(text: str, prefix: str) -> float:
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix))

    turns = 'trainer_turns_total{degraded="false",engine="rules"}'
    route = 'route="/v1/sessions/{session_id}/turns"'
    before = (await client.get("/metrics")).text
    session_id = await start_session(client, auth)
    for reply in ("It sounds like the plan mattered.", "So the cancelled plan hurt?"):
        turn = await client.post(f"/v1/sessions/{session_id}/turns", json={"reply": reply}, headers=auth)
        assert turn.status_code == 201
    response = await client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    after = response.text
    assert sample(after, turns) - sample(before, turns) == 2
    requests = f'trainer_http_requests_total{{method="POST",{route},status="201"}}'
    assert sample(after, requests) - sample(before, requests) == 2
    assert f'trainer_http_request_duration_seconds_bucket{{le="0.1",method="POST",{route}}}' in after


async def test_metrics_can_be_turned_off(settings_off: Litestar) -> None:
    async with AsyncTestClient(app=settings_off) as client:
        assert (await client.get("/metrics")).status_code == 404


@pytest.fixture
def settings_off(settings: Settings, library: ContentLibrary) -> Litestar:
    return create_app(settings.model_copy(update={"metrics_enabled": False}), library=library)
