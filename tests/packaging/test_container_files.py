"""The Dockerfile, compose.yaml and deploy/haproxy.cfg, checked without a container engine.

No Docker engine runs where these tests run, so nothing here builds an image. What can be checked
is: the image builds the same wheel the packaging test installs (the same command), installs it
with the project's constraints, runs as a non-root user with no compiler in its final stage, and
starts ``trainer serve``; compose runs the migration as a one-off job before two replicas behind a
load balancer; and HAProxy accepts its configuration.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from tests.packaging.build import ROOT, WHEEL_COMMAND

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def stages() -> dict[str, list[str]]:
    """Instructions per stage name (continuation lines joined)."""
    lines = DOCKERFILE.replace("\\\n", " ").splitlines()
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in (raw.strip() for raw in lines):
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            current = found.setdefault(line.split()[-1], [])
        current.append(line)
    return found


def test_the_image_builds_the_wheel_the_packaging_test_installs() -> None:
    build = stages()["build"]
    assert any(" ".join(WHEEL_COMMAND) in line for line in build if line.startswith("RUN"))
    assert any("-c constraints.txt /dist/*.whl" in " ".join(line.split()) for line in build)


def test_the_final_stage_is_non_root_without_compilers_and_serves() -> None:
    runtime = stages()["runtime"]
    text = "\n".join(runtime)
    assert "build-essential" not in text and "gcc" not in text and "apt-get install" not in text
    (user,) = [line.split()[1] for line in runtime if line.startswith("USER ")]
    assert user not in {"root", "0"}
    assert 'ENTRYPOINT ["trainer"]' in runtime and 'CMD ["serve"]' in runtime
    assert any(line.startswith("COPY --from=build /opt/trainer") for line in runtime)


def test_compose_migrates_once_then_runs_two_replicas_behind_the_balancer() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "trainer-1", "trainer-2", "lb"} <= set(services)
    assert services["migrate"]["command"] == ["db", "upgrade"] and services["migrate"]["restart"] == "no"
    for name in ("trainer-1", "trainer-2"):
        replica = services[name]
        assert replica["command"][0] == "serve"
        assert replica["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert replica["environment"]["TRAINER_DATABASE_URL"].startswith("postgresql://")
        assert replica["environment"]["TRAINER_REDIS_URL"].startswith("redis://")
    lb = services["lb"]
    assert lb["environment"]["TRAINER_1"] == "trainer-1:8000"
    assert any("deploy/haproxy.cfg" in volume for volume in lb["volumes"])
    trusted = services["trainer-1"]["environment"]["TRAINER_TRUSTED_PROXIES"]
    assert trusted == lb["networks"]["trainer"]["ipv4_address"]


def test_the_connection_budget_in_compose_fits_postgresql_default() -> None:
    env = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]["trainer-1"]
    per_worker = int(env["environment"]["TRAINER_DATABASE_POOL_SIZE"]) + int(
        env["environment"]["TRAINER_DATABASE_MAX_OVERFLOW"]
    )
    workers = int(env["command"][env["command"].index("--workers") + 1])
    assert (
        2 * workers * per_worker + 1 <= 100 - 3
    )  # replicas x workers x pool, + migration, < max_connections


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy is not installed")
def test_haproxy_accepts_the_configuration() -> None:
    env = {
        **os.environ,
        "LB_BIND": "127.0.0.1:8080",
        "TRAINER_1": "127.0.0.1:8001",
        "TRAINER_2": "127.0.0.1:8002",
    }
    done = subprocess.run(
        ["haproxy", "-c", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
