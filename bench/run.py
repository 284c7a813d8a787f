"""``make bench``: every benchmark in one run, each figure printed next to its target (docs/design.md).

Phases (each server a fresh process on 127.0.0.1, each database fresh):
1. the rules coder (bench/coder_bench.py) and the safety screen (bench/screen_bench.py);
2. per database (SQLite, then PostgreSQL when it answers): offline engines with 32 learners, the
   bare one-insert Litestar app with 32 clients (the framework's ceiling), and the model engines
   pointed at bench/fake_model.py with 200 learners;
3. on PostgreSQL, replicas behind HAProxy (bench/replicas.py): offline turns/s with two replicas
   against one, and the model engines at 400 paced learners over two replicas.
The figures also go to var/bench/latest.json and var/bench/latest.md.
Run: ``.venv/bin/python bench/run.py [--quick] [--no-postgres] [--no-replicas | --replicas-only]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import asyncpg
from load import LoadPlan, LoadResult, percentile, run_bare, run_learners
from processes import (
    ROOT,
    CpuMeter,
    CpuShares,
    FakeModelConfig,
    Server,
    drop_postgres,
    fresh_postgres,
    fresh_sqlite,
    model_env,
    prepare_database,
    start_bare,
    start_fake_model,
    start_trainer,
)
from replicas import replica_phase
from report import Figure, Report

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
OUT_DIR = ROOT / "var" / "bench"
FAKE = FakeModelConfig(latency_ms=200.0, ttft_ms=50.0, tokens_per_s=200.0)
# Between two turns a learner reads the partner's line and the hint and sends a reply: 2-6 s, a fast
# learner (people typing their own reply take longer, which only lightens the load).
THINK_S = (2.0, 6.0)
# Paced loads are measured once every learner has arrived (they arrive over the first THINK_S[1] s).
PACED_WARMUP_S = THINK_S[1] + 1.0


@dataclass(frozen=True)
class Durations:
    """Measured seconds of each load (a warm-up runs before each)."""

    offline_s: float
    saturated_s: float
    bare_s: float
    model_s: float

    @classmethod
    def of(cls, quick: bool) -> Durations:
        return cls(5.0, 4.0, 3.0, 8.0) if quick else cls(12.0, 10.0, 8.0, 20.0)


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "python": platform.python_version()}


def _bench_figure(script: str, line_start: str, field: int, missing: float, timeout: int) -> float:
    """Run one of the single-process benchmarks, print what it printed, and read one figure of it."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    print(done.stdout.rstrip())
    lines = done.stdout.splitlines()
    return next((float(line.split()[field]) for line in lines if line.startswith(line_start)), missing)


def coder_phase(report: Report) -> None:
    rate = _bench_figure("coder_bench.py", "throughput", 1, 0.0, timeout=120)
    report.add(Figure("rules coder", "replies/s", rate, ">=", 5000.0))


def screen_phase(report: Report) -> None:
    p50 = _bench_figure("screen_bench.py", "latency p50", 2, 1e9, timeout=300)
    report.add(Figure("safety screen p50", "ms", p50, "<", 1.0))


def _describe(name: str, result: LoadResult, server: Server, cpu: CpuShares) -> dict[str, object]:
    row: dict[str, object] = {
        "phase": name,
        "server_cpu_ms_per_turn": round(cpu.server_cpu_s * 1000 / max(1, result.turns), 2),
        "cpu_cores": {
            "servers": round(cpu.servers, 2),
            "driver": round(cpu.driver, 2),
            "interrupts": round(cpu.interrupts, 2),
            "others": round(cpu.others, 2),
        },
        "turns": result.turns,
        "turns_per_s": round(result.turns_per_s, 1),
        "streamed": result.streamed,
        "sessions": result.sessions,
        "reports": result.reports,
        "replays_checked": result.replays_checked,
        "degraded": result.degraded,
        "engines": dict(result.engines),
        "errors": dict(result.errors),
        "peak_rss_mb": round(server.peak_rss_mb(), 1),
    }
    for label, values in (
        ("turn_ms", result.turn_ms),
        ("turn_server_ms", result.turn_server_ms),
        ("first_word_ms", result.first_word_ms),
        ("other_ms", result.other_ms),
    ):
        row[label] = {f"p{q}": round(percentile(values, q / 100), 2) for q in (50, 95, 99)}
    print(f"  {name}: " + json.dumps(row))
    return row


async def _measure(
    server: Server, key: str, plan: LoadPlan, name: str, report: Report, *others: Server
) -> tuple[LoadResult, CpuShares]:
    meter = CpuMeter(server, *others)
    result = await run_learners(server.base_url, key, plan)
    cpu = meter.stop()
    report.rows.append(_describe(name, result, server, cpu))
    return result, cpu


async def offline_phase(
    label: str, url: str, key: str, report: Report, durations: Durations, logs: Path
) -> None:
    """32 learners at a workshop's pace (the latency targets), then 32 with no pause (the ceiling)."""
    trainer = start_trainer(url, logs, f"trainer-{label}-offline")
    try:
        paced = LoadPlan(
            learners=32, duration_s=durations.offline_s, warmup_s=PACED_WARMUP_S, think_s=THINK_S
        )
        offline, _ = await _measure(trainer, key, paced, f"{label} offline 32 paced", report)
        flat_out = LoadPlan(learners=32, duration_s=durations.saturated_s)
        saturated, cpu = await _measure(trainer, key, flat_out, f"{label} offline 32 no pause", report)
    finally:
        trainer.stop()
    bare = start_bare(url, logs, f"bare-{label}")
    try:
        meter = CpuMeter(bare)
        ceiling = await run_bare(bare.base_url, 32, durations.bare_s)
        report.rows.append(_describe(f"{label} bare 32 no pause", ceiling, bare, meter.stop()))
    finally:
        bare.stop()
    p50, p99 = percentile(offline.turn_server_ms, 0.5), percentile(offline.turn_server_ms, 0.99)
    report.add(Figure(f"{label} offline turn p50 (server, 32 paced sessions)", "ms", p50, "<=", 5.0))
    report.add(Figure(f"{label} offline turn p99 (server, 32 paced sessions)", "ms", p99, "<=", 25.0))
    report.add(
        Figure(
            f"{label} offline errors (paced + no pause)",
            "count",
            offline.error_count + saturated.error_count,
            "<=",
            0,
        )
    )
    report.add(Figure(f"{label} offline turns/s, 32 sessions, no pause", "turns/s", saturated.turns_per_s))
    report.add(Figure(f"{label} bare one-insert requests/s, 32 clients", "req/s", ceiling.turns_per_s))
    ratio = saturated.turns_per_s / ceiling.turns_per_s if ceiling.turns_per_s else float("nan")
    report.add(Figure(f"{label} offline turns/s / bare requests/s", "ratio", ratio))
    report.add(
        Figure(
            f"{label} server CPU per turn, no pause (with its hint)",
            "ms",
            cpu.server_cpu_s * 1000 / max(1, saturated.turns),
        )
    )
    report.add(Figure(f"{label} other processes' CPU during the no-pause load", "cores", cpu.others))


async def model_phase(
    label: str, url: str, key: str, report: Report, durations: Durations, logs: Path
) -> None:
    """The model engines pointed at the fake model server: 32 paced learners, then 200."""
    fake = start_fake_model(FAKE, logs)
    trainer = start_trainer(url, logs, f"trainer-{label}-model", model_env(fake))
    results: dict[int, LoadResult] = {}
    try:
        for learners, seconds in ((32, durations.model_s / 2), (200, durations.model_s)):
            plan = LoadPlan(
                learners=learners,
                duration_s=seconds,
                warmup_s=PACED_WARMUP_S,
                think_s=THINK_S,
                stream_every=2,
            )
            name = f"{label} model {learners} paced"
            results[learners], _ = await _measure(trainer, key, plan, name, report, fake)
        peak = trainer.peak_rss_mb()
    finally:
        trainer.stop()
        fake.stop()
    for learners, result in results.items():
        ratio = percentile(result.turn_server_ms, 0.5) / FAKE.latency_ms
        name = f"{label} model turn p50 / L (L={FAKE.latency_ms:.0f} ms, {learners} sessions)"
        report.add(Figure(name, "x", ratio, "<=", 1.1 if learners == 200 else None))
        first_word = percentile(result.first_word_ms, 0.5)
        name = f"{label} first streamed word p50 (ttft {FAKE.ttft_ms:.0f} ms, {learners} sessions)"
        report.add(Figure(name, "ms", first_word, "<=", FAKE.ttft_ms + 20 if learners == 200 else None))
        report.add(Figure(f"{label} model turns/s, {learners} paced sessions", "turns/s", result.turns_per_s))
        graded = result.engines.get("llm", 0) / max(1, sum(result.engines.values()))
        report.add(
            Figure(
                f"{label} model turns graded by the model, {learners} sessions", "share", graded, ">=", 0.99
            )
        )
        report.add(Figure(f"{label} model errors, {learners} sessions", "count", result.error_count, "<=", 0))
    report.add(Figure(f"{label} peak RSS through the 200-session load", "MB", peak, "<", 250.0))


async def database_phase(label: str, url: str, report: Report, durations: Durations, logs: Path) -> str:
    print(f"\n== {label}")
    key = prepare_database(url)
    await offline_phase(label, url, key, report, durations, logs)
    await model_phase(label, url, key, report, durations, logs)
    return key


async def postgres_url() -> str | None:
    try:
        return await fresh_postgres(POSTGRES_URL)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        print(f"\n== postgres skipped: {type(error).__name__}: {error}")
        return None


async def main_async(args: argparse.Namespace) -> Report:
    report = Report(machine=machine(), command=" ".join(["bench/run.py", *sys.argv[1:]]))
    durations = Durations.of(args.quick)
    logs = OUT_DIR / "logs"
    print(f"machine: {report.machine}")
    if args.replicas_only:
        if (url := await postgres_url()) is not None:
            try:
                print("\n== postgres replicas")
                await replica_phase(url, prepare_database(url), report, durations.saturated_s, FAKE, logs)
            finally:
                await drop_postgres(POSTGRES_URL)
        return report
    print("== rules coder")
    coder_phase(report)
    screen_phase(report)
    await database_phase("sqlite", fresh_sqlite(OUT_DIR, "bench"), report, durations, logs)
    if not args.no_postgres and (url := await postgres_url()) is not None:
        try:
            key = await database_phase("postgres", url, report, durations, logs)
            if not args.no_replicas:
                print("\n== postgres replicas")
                await replica_phase(url, key, report, durations.saturated_s, FAKE, logs)
        finally:
            await drop_postgres(POSTGRES_URL)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark; print each figure with its target")
    parser.add_argument("--quick", action="store_true", help="short phases (a smoke run, noisy figures)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-replicas", action="store_true", help="skip the replica phase (PostgreSQL)")
    parser.add_argument("--replicas-only", action="store_true", help="only the replica phase (PostgreSQL)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    import uvloop

    report = uvloop.run(main_async(args))
    report.elapsed_s = time.monotonic() - started
    print()
    print(report.table())
    (OUT_DIR / "latest.json").write_text(json.dumps(asdict(report), indent=2, default=str))
    (OUT_DIR / "latest.md").write_text(report.markdown())
    print(f"\nwritten: {OUT_DIR / 'latest.json'}, {OUT_DIR / 'latest.md'} ({report.elapsed_s:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
