"""Two ``trainer serve`` replicas on one PostgreSQL database and one Redis, behind HAProxy.

Everything runs on 127.0.0.1 with ports picked free, a database created for the run (and dropped
after), a Redis key prefix of the run's own, and HAProxy with the project's own
``deploy/haproxy.cfg`` (its addresses come from the environment). Every wait is bounded.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[2]
TRAINER = str(Path(sys.executable).parent / "trainer")
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
START_TIMEOUT_S = 30.0
# CI sets this: the replica test must run there, so missing pieces fail instead of skipping.
REQUIRED_ENV = "TRAINER_TEST_REPLICAS"


def needs(condition: bool, what: str) -> None:
    if condition:
        return
    if os.environ.get(REQUIRED_ENV):
        pytest.fail(f"the replica test needs {what} ({REQUIRED_ENV} is set)")
    pytest.skip(f"the replica test needs {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited at start; see {log}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT_S:.0f} s; see {log}")


@dataclass
class Cluster:
    database_url: str
    env: dict[str, str]
    replicas: dict[str, str]  # name -> base URL
    lb: str
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [TRAINER, *args], env=self.env, capture_output=True, text=True, timeout=60, check=True
        )
        return done.stdout

    def kill(self, name: str) -> None:
        """Stop a replica the hard way (SIGKILL): whatever it had in flight is cut off."""
        process = self.processes[name]
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


async def create_database(server_url: str) -> tuple[str, str]:
    name = f"trainer_replicas_{secrets.token_hex(5)}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return name, make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(server_url: str, name: str) -> None:
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@contextmanager
def running_cluster(database_url: str, redis_url: str, logs: Path, **settings: str) -> Iterator[Cluster]:
    """Migrate (the one-off job), start two replicas and HAProxy; stop them all on the way out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRAINER_", "PROMETHEUS_", "OTEL_"))}
    env.update(
        TRAINER_DATABASE_URL=database_url,
        TRAINER_REDIS_URL=redis_url,
        TRAINER_REDIS_PREFIX=f"trainer-replicas-{secrets.token_hex(5)}:",
        TRAINER_TRUSTED_PROXIES="127.0.0.1",
        TRAINER_LOG_LEVEL="INFO",
        **settings,
    )
    logs.mkdir(parents=True, exist_ok=True)
    ports = {"trainer-1": free_port(), "trainer-2": free_port()}
    lb_port = free_port()
    cluster = Cluster(
        database_url=database_url,
        env=env,
        replicas={name: f"http://127.0.0.1:{port}" for name, port in ports.items()},
        lb=f"http://127.0.0.1:{lb_port}",
        logs=logs,
    )
    cluster.cli("db", "upgrade")
    try:
        for name, port in ports.items():
            with (logs / f"{name}.log").open("wb") as log:
                cluster.processes[name] = subprocess.Popen(
                    [TRAINER, "serve", "--port", str(port)], env=env, stdout=log, stderr=log
                )
        for name, base in cluster.replicas.items():
            wait_for(f"{base}/readyz", cluster.processes[name], logs / f"{name}.log")
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        lb_env = {
            **env,
            "LB_BIND": f"127.0.0.1:{lb_port}",
            "TRAINER_1": f"127.0.0.1:{ports['trainer-1']}",
            "TRAINER_2": f"127.0.0.1:{ports['trainer-2']}",
        }
        with (logs / "haproxy.log").open("wb") as log:
            cluster.processes["lb"] = subprocess.Popen(
                [haproxy, "-db", "-f", str(HAPROXY_CONFIG)], env=lb_env, stdout=log, stderr=log
            )
        wait_for(f"{cluster.lb}/livez", cluster.processes["lb"], logs / "haproxy.log")
        yield cluster
    finally:
        cluster.stop_all()
