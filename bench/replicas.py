"""The replica phase of ``make bench`` (PostgreSQL only): two ``trainer serve`` replicas behind
HAProxy against one, and the model engines at 400 paced learners across two replicas.

Both loads go through HAProxy with the project's own ``deploy/haproxy.cfg``: for "one replica" both
of its server lines point at the same replica, so the balancer's cost is in both figures and only
the number of replicas differs. Each replica is one uvicorn worker, as in the other phases; Redis
is the shared rate-limit store (limits high enough never to refuse). On a 2-core machine two
replicas share the same two cores as one, so the ratio says how much a second process gains when
one process does not use both cores, not how the service scales on more machines.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from load import LoadPlan, LoadResult, percentile, run_learners
from processes import ROOT, FakeModelConfig, Server, free_port, start, start_fake_model, start_trainer
from report import Figure, Report

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
MODEL_LEARNERS = 400


def replica_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        "TRAINER_REDIS_URL": REDIS_URL,
        "TRAINER_REDIS_PREFIX": "trainer-bench:",
        "TRAINER_RATE_LIMIT_PER_KEY": "1000000",
        **(extra or {}),
    }


def start_haproxy(first: Server, second: Server, logs: Path) -> Server:
    port = free_port()
    env = {
        **os.environ,
        "LB_BIND": f"127.0.0.1:{port}",
        "TRAINER_1": first.base_url.removeprefix("http://"),
        "TRAINER_2": second.base_url.removeprefix("http://"),
    }
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    return start("haproxy", [haproxy, "-db", "-f", str(HAPROXY_CONFIG)], env, "/livez", port, logs)


@contextmanager
def replicas(count: int, url: str, logs: Path, extra: dict[str, str] | None = None) -> Iterator[list[Server]]:
    servers: list[Server] = []
    try:
        for number in range(count):
            servers.append(start_trainer(url, logs, f"replica-{count}-{number + 1}", replica_env(extra)))
        yield servers
    finally:
        for server in servers:
            server.stop()


def haproxy_available() -> bool:
    return shutil.which("haproxy") is not None or Path("/usr/sbin/haproxy").exists()


async def _through_lb(servers: list[Server], key: str, plan: LoadPlan, logs: Path) -> LoadResult:
    lb = start_haproxy(servers[0], servers[-1], logs)
    try:
        return await run_learners(lb.base_url, key, plan)
    finally:
        lb.stop()


async def replica_phase(
    url: str, key: str, report: Report, seconds: float, fake: FakeModelConfig, logs: Path
) -> None:
    """Offline turns/s with one and two replicas (32 learners, no pause), then the model at 400."""
    if not haproxy_available():
        print("  replicas skipped: haproxy is not installed (apt-get install haproxy)")
        return
    flat_out = LoadPlan(learners=32, duration_s=seconds)
    rates: dict[int, float] = {}
    for count in (1, 2):
        with replicas(count, url, logs) as servers:
            result = await _through_lb(servers, key, flat_out, logs)
        rates[count] = result.turns_per_s
        print(
            f"  postgres {count} replica(s), 32 no pause: {result.turns_per_s:.1f} turns/s,"
            f" errors {dict(result.errors)}"
        )
        report.add(
            Figure(
                f"postgres offline turns/s, {count} replica(s) behind haproxy", "turns/s", result.turns_per_s
            )
        )
        report.add(
            Figure(f"postgres errors, {count} replica(s), no pause", "count", result.error_count, "<=", 0)
        )
    report.add(
        Figure("postgres two replicas / one, offline turns/s", "ratio", rates[2] / max(rates[1], 1e-9))
    )

    model = start_fake_model(fake, logs)
    try:
        model_env = {"TRAINER_LLM_BASE_URL": model.base_url + "/v1", "TRAINER_LLM_MODEL": "fake-model"}
        paced = LoadPlan(
            learners=MODEL_LEARNERS, duration_s=seconds * 2, warmup_s=7.0, think_s=(2.0, 6.0), stream_every=2
        )
        with replicas(2, url, logs, model_env) as servers:
            result = await _through_lb(servers, key, paced, logs)
    finally:
        model.stop()
    ratio = percentile(result.turn_server_ms, 0.5) / fake.latency_ms
    print(
        f"  postgres model, {MODEL_LEARNERS} paced over 2 replicas: p50/L {ratio:.2f},"
        f" errors {dict(result.errors)}"
    )
    name = f"postgres model turn p50 / L (L={fake.latency_ms:.0f} ms, {MODEL_LEARNERS} sessions, 2 replicas)"
    report.add(Figure(name, "x", ratio, "<=", 1.1))
    report.add(
        Figure(
            f"postgres model turns/s, {MODEL_LEARNERS} paced sessions, 2 replicas",
            "turns/s",
            result.turns_per_s,
        )
    )
    report.add(
        Figure(
            f"postgres model errors, {MODEL_LEARNERS} sessions, 2 replicas",
            "count",
            result.error_count,
            "<=",
            0,
        )
    )
