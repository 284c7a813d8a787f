"""The benchmark's processes: a fresh database, an API key, and servers started and stopped on 127.0.0.1.

Every server runs in a process of its own (so its peak memory, ``VmHWM``, is its own) and every wait
is bounded in time.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
PYTHON = sys.executable
TRAINER = str(Path(PYTHON).parent / "trainer")
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
POSTGRES_BENCH_DB = "trainer_bench"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def base_env(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a server: no TRAINER_* from the caller leaks in, only what is set here."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("TRAINER_")}
    env["TRAINER_DATABASE_URL"] = database_url
    env["TRAINER_LOG_LEVEL"] = "WARNING"
    env["PYTHONPATH"] = str(ROOT)
    # The limits are on by default; a load test sends a whole room's traffic through one key.
    for limit in (
        "RATE_LIMIT_PER_KEY",
        "RATE_LIMIT_PER_LEARNER",
        "SESSIONS_PER_LEARNER_PER_HOUR",
        "JOIN_LIMIT_PER_ADDRESS",
        "JOIN_GUESSES_PER_ADDRESS",
        "JOIN_LIMIT_PER_CODE",
        "COHORT_MAX_MEMBERS",
    ):
        env[f"TRAINER_{limit}"] = "0"
    env.update(extra or {})
    return env


@dataclass
class Server:
    """A server process; ``peak_rss_mb`` reads its high-water resident memory while it runs."""

    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    samples: list[float] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def _status_kb(self, field_name: str) -> float:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith(field_name + ":"):
                    return float(line.split()[1])
        except OSError:
            pass
        return 0.0

    def peak_rss_mb(self) -> float:
        return self._status_kb("VmHWM") / 1024

    def rss_mb(self) -> float:
        return self._status_kb("VmRSS") / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT_S)


def start(
    name: str, command: list[str], env: dict[str, str], health_path: str, port: int, logs: Path
) -> Server:
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(name, process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start ({process.returncode}); see {log_path}")
        try:
            if httpx.get(server.base_url + health_path, timeout=1.0).status_code < 500:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{name} did not answer {health_path} within {START_TIMEOUT_S:.0f} s; see {log_path}")


def uvicorn_command(app: str, port: int) -> list[str]:
    """How ``trainer serve`` runs (one uvicorn worker, uvloop, httptools), with a bench app factory."""
    return [
        PYTHON, "-m", "uvicorn", "--app-dir", str(BENCH_DIR), app, "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--loop", "uvloop", "--http", "httptools",
        "--no-access-log", "--log-level", "warning", "--backlog", "2048",
    ]  # fmt: skip


def start_trainer(
    database_url: str, logs: Path, name: str, model_env: dict[str, str] | None = None
) -> Server:
    port = free_port()
    env = base_env(database_url, model_env)
    return start(name, uvicorn_command("timed_app:create", port), env, "/healthz", port, logs)


def start_bare(database_url: str, logs: Path, name: str) -> Server:
    port = free_port()
    return start(
        name, uvicorn_command("bare_app:create", port), base_env(database_url), "/healthz", port, logs
    )


@dataclass(frozen=True)
class FakeModelConfig:
    latency_ms: float
    ttft_ms: float
    tokens_per_s: float
    error_rate: float = 0.0


def start_fake_model(config: FakeModelConfig, logs: Path) -> Server:
    port = free_port()
    command = [
        PYTHON, str(BENCH_DIR / "fake_model.py"), "--port", str(port),
        "--latency-ms", str(config.latency_ms), "--ttft-ms", str(config.ttft_ms),
        "--tokens-per-s", str(config.tokens_per_s), "--error-rate", str(config.error_rate),
    ]  # fmt: skip
    return start("fake-model", command, base_env("sqlite://"), "/stats", port, logs)


def model_env(fake: Server) -> dict[str, str]:
    return {"TRAINER_LLM_BASE_URL": fake.base_url + "/v1", "TRAINER_LLM_MODEL": "fake-model"}


def _cli(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [TRAINER, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"trainer {' '.join(args)} failed: {done.stderr.strip()[-600:]}")
    return done.stdout


def prepare_database(database_url: str) -> str:
    """Migrate ``database_url`` and create an admin key through the CLI; the key."""
    env = base_env(database_url)
    _cli(["db", "upgrade"], env)
    return _cli(["keys", "create", "--name", "bench", "--role", "admin"], env).strip().splitlines()[-1]


def fresh_sqlite(folder: Path, name: str) -> str:
    path = folder / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite+aiosqlite:///{path}"


async def fresh_postgres(admin_url: str, name: str = POSTGRES_BENCH_DB) -> str:
    """A new, empty database ``name`` on the server of ``admin_url``; its SQLAlchemy URL."""
    plain = admin_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(plain, timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


async def drop_postgres(admin_url: str, name: str = POSTGRES_BENCH_DB) -> None:
    plain = admin_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(plain, timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def system_busy_s() -> tuple[float, float]:
    """CPU seconds all cores spent busy since boot (all but idle and iowait), and of those the
    seconds in interrupts (loopback networking is mostly softirq, charged to no process)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values[:8]) - values[3] - values[4]) / tick, (values[5] + values[6]) / tick


@dataclass
class CpuShares:
    """CPU used during a phase, in cores: the servers, this driver, interrupts (the loopback network)
    and everything else on the box (other work, and PostgreSQL's own processes)."""

    wall_s: float
    servers: float
    driver: float
    interrupts: float
    others: float
    server_cpu_s: float


class CpuMeter:
    def __init__(self, *servers: Server) -> None:
        self._pids = [server.pid for server in servers]
        self._start = self._snapshot()

    def _snapshot(self) -> tuple[float, float, float, float, float]:
        servers = sum(process_cpu_s(pid) for pid in self._pids)
        busy, interrupts = system_busy_s()
        return time.monotonic(), busy, interrupts, servers, time.process_time()

    def stop(self) -> CpuShares:
        wall, busy, interrupts, servers, driver = (
            end - start for end, start in zip(self._snapshot(), self._start, strict=True)
        )
        others = max(0.0, busy - interrupts - servers - driver)
        return CpuShares(wall, servers / wall, driver / wall, interrupts / wall, others / wall, servers)
