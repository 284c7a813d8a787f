"""Prometheus metrics: what the service did, by route, engine and model (served by ``trainer.api.metrics``).

One process (``trainer serve``): the metrics live in prometheus_client's default registry. Several
workers (``trainer serve --workers N``): the parent points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh
folder before the workers start (``prepare_multiprocess``), every worker writes its values there, and
whichever worker answers ``/metrics`` adds up all of them (``MultiProcessCollector``), so a scrape
sees the whole server. A worker that stops marks its gauges dead (``mark_worker_stopped``).

Labels are bounded: routes are templates (``/v1/sessions/{session_id:str}/turns``, or ``unmatched``),
never raw paths, so an id in a URL never makes a new series.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from typing import TYPE_CHECKING

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

if TYPE_CHECKING:
    from trainer.vocabulary.seams import Usage

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 60.0)
BREAKER_STATES = {"closed": 0.0, "half_open": 1.0, "open": 2.0}

REQUESTS = Counter("trainer_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "trainer_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response (streams: the whole stream)",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
TURNS = Counter("trainer_turns", "Turns stored, by the engine that graded them", ["engine", "degraded"])
MODEL_CALLS = Counter(
    "trainer_model_calls", "Model calls made for turns (judge and partner)", ["role", "model", "outcome"]
)
MODEL_TOKENS = Counter("trainer_model_tokens", "Model tokens used for turns", ["model", "direction"])
MODEL_COST = Counter(
    "trainer_model_cost_usd", "Model cost in US dollars (0 for models without a price)", ["model"]
)
BREAKER = Gauge(
    "trainer_model_breaker_state",
    "Circuit breaker per provider: 0 closed, 1 half-open, 2 open (the worst worker's)",
    ["breaker"],
    multiprocess_mode="livemax",
)
RATE_LIMITED = Counter("trainer_rate_limit_refusals", "Requests refused by a rate limit (429)", ["limit"])
RATE_LIMIT_FAIL_OPEN = Counter(
    "trainer_rate_limit_fail_open", "Requests let through unchecked because Redis did not answer"
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def _observe_call(role: str, usage: Usage) -> None:
    if usage.model is None:
        return
    outcome = "degraded" if usage.degraded else "ok"
    MODEL_CALLS.labels(role, usage.model, outcome).inc()
    if usage.input_tokens:
        MODEL_TOKENS.labels(usage.model, "input").inc(usage.input_tokens)
    if usage.output_tokens:
        MODEL_TOKENS.labels(usage.model, "output").inc(usage.output_tokens)
    if usage.cost_usd:
        MODEL_COST.labels(usage.model).inc(usage.cost_usd)


def observe_turn(engine: str, degraded: bool, judge: Usage, voice: Usage) -> None:
    """One stored turn: its engine and, per model call behind it, the call, its tokens and cost."""
    TURNS.labels(engine, "true" if degraded else "false").inc()
    _observe_call("judge", judge)
    _observe_call("partner", voice)


def observe_breaker(name: str, state: str) -> None:
    BREAKER.labels(name).set(BREAKER_STATES.get(state, 0.0))


def observe_rate_limited(limit: str) -> None:
    RATE_LIMITED.labels(limit).inc()


def observe_fail_open() -> None:
    RATE_LIMIT_FAIL_OPEN.inc()


def prepare_multiprocess() -> str:
    """Called by ``trainer serve --workers N`` before the workers start: a folder for their values.

    The workers inherit the variable and read it when they import prometheus_client. A folder given
    by the operator is emptied of an earlier run's files first (their values would be added in).
    """
    folder = os.environ.get(MULTIPROC_ENV)
    if folder:
        for name in os.listdir(folder):  # values of an earlier run would be added to this one's
            if name.endswith(".db"):
                os.unlink(os.path.join(folder, name))
    else:
        folder = tempfile.mkdtemp(prefix="trainer-metrics-")
        os.environ[MULTIPROC_ENV] = folder
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def mark_worker_stopped() -> None:
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def exposition() -> bytes:
    """The text format of every metric: this process's, or every worker's when there are several."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
