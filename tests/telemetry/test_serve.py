"""``trainer serve``: proxy headers per setting, and several workers that log and count as one."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from trainer.commands.serve import uvicorn_options
from trainer.settings import Settings

TRAINER = str(Path(sys.executable).parent / "trainer")


def test_proxy_headers_are_ignored_unless_proxies_are_trusted() -> None:
    assert uvicorn_options(Settings())["proxy_headers"] is False
    trusted = uvicorn_options(Settings(trusted_proxies=" 127.0.0.1, 10.0.0.0/8 "))
    assert trusted["proxy_headers"] is True and trusted["forwarded_allow_ips"] == "127.0.0.1,10.0.0.0/8"
    assert trusted["access_log"] is False and trusted["log_config"] is None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_two_workers_log_json_with_request_ids_and_share_their_metrics(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRAINER_", "PROMETHEUS_", "OTEL_"))}
    env.update(
        TRAINER_DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}",
        TRAINER_TRUSTED_PROXIES="127.0.0.1",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    (tmp_path / "metrics").mkdir()
    subprocess.run([TRAINER, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=60)
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [TRAINER, "serve", "--workers", "2", "--port", str(port)], env=env, stderr=log, stdout=log
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, up = time.monotonic() + 90, False  # two fresh processes on a busy 2-core machine
        while time.monotonic() < deadline and not up and server.poll() is None:
            try:
                up = httpx.get(f"{base}/livez", timeout=1).status_code == 200
            except httpx.TransportError:
                time.sleep(0.2)
        assert up, log_path.read_text()[-2000:]
        for number in range(20):  # a new connection each: the kernel spreads them over the workers
            headers = {"X-Request-ID": f"w-{number}", "X-Forwarded-For": "203.0.113.7"}
            assert httpx.get(f"{base}/livez", headers=headers, timeout=5).status_code == 200
        exposition = httpx.get(f"{base}/metrics", timeout=5).text
    finally:
        server.terminate()
        server.wait(15)
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    assert not [line for line in lines if line["logger"] == "uvicorn.access"]  # one access line, ours
    access = [line for line in lines if line["logger"] == "trainer.access" and line["route"] == "/livez"]
    ids = {line["request_id"] for line in access}
    assert {f"w-{n}" for n in range(20)} <= ids
    assert all(line["client"] == "203.0.113.7" for line in access if line["request_id"].startswith("w-"))
    assert {line["pid"] for line in access} - {server.pid}, "access lines come from the workers"
    served = [
        float(line.rsplit(" ", 1)[1])
        for line in exposition.splitlines()
        if line.startswith('trainer_http_requests_total{method="GET",route="/livez",status="200"}')
    ]
    assert sum(served) >= 20  # the workers' counts added up, whichever one answered the scrape
