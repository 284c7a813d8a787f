"""Two replicas behind HAProxy behave as one service, and losing one mid-load loses no turn.

Needs PostgreSQL (``TRAINER_TEST_POSTGRES_URL``), Redis (``TRAINER_TEST_REDIS_URL``) and HAProxy on
this machine; .ci/run provides all three (and sets ``TRAINER_TEST_REPLICAS``, so that it fails
rather than skips there). Requests go to a named replica where a check needs "the other one", and
through the load balancer otherwise (``X-Served-By`` names the replica that answered).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import issue_key
from tests.replicas.cluster import Cluster, create_database, drop_database, needs, running_cluster
from trainer.settings import Settings
from trainer.store.tables import Role

pytestmark = pytest.mark.replicas
RATE_LIMIT = 20  # per key per minute, shared by both replicas through Redis
LOAD_LEARNERS = 6
LOAD_TURNS = 6


def services() -> tuple[str, str]:
    postgres, redis = os.environ.get("TRAINER_TEST_POSTGRES_URL"), os.environ.get("TRAINER_TEST_REDIS_URL")
    needs(bool(postgres), "TRAINER_TEST_POSTGRES_URL")
    needs(bool(redis), "TRAINER_TEST_REDIS_URL")
    needs(shutil.which("haproxy") is not None or Path("/usr/sbin/haproxy").exists(), "haproxy")
    assert postgres and redis
    return postgres, redis


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    postgres, redis = services()
    name, url = await create_database(postgres)
    try:
        with running_cluster(
            url,
            redis,
            tmp_path / "logs",
            TRAINER_RATE_LIMIT_PER_KEY=str(RATE_LIMIT),
            TRAINER_KEY_CACHE_SECONDS="1",
        ) as running:
            yield running
    finally:
        await drop_database(postgres, name)


async def key(
    cluster: Cluster, name: str, role: Role = Role.app, tenant: str | None = None
) -> dict[str, str]:
    token = await issue_key(Settings(database_url=cluster.database_url), name=name, role=role, tenant=tenant)
    return {"Authorization": f"Bearer {token}"}


async def start(http: httpx.AsyncClient, base: str, auth: dict[str, str], learner: str) -> str:
    scenarios = (await http.get(f"{base}/v1/scenarios", headers=auth)).json()["items"]
    created = await http.post(
        f"{base}/v1/sessions", json={"scenario_id": scenarios[0]["id"], "learner_id": learner}, headers=auth
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


REPLIES = [
    "It sounds like that really hurt, and you felt on your own with it.",
    "So what stung most was that nobody asked you first?",
    "That makes sense: you had been carrying it for weeks.",
    "What was the hardest part for you?",
    "You wanted to be asked, not told.",
    "I can hear how tired you are of it.",
]


async def check_idempotency_and_streams(http: httpx.AsyncClient, cluster: Cluster) -> None:
    one, two = cluster.replicas["trainer-1"], cluster.replicas["trainer-2"]
    auth = await key(cluster, "idem")
    session = await start(http, one, auth, "idem-1")
    body, headers = {"reply": REPLIES[0]}, {**auth, "Idempotency-Key": "turn-0"}
    first = await http.post(f"{one}/v1/sessions/{session}/turns", json=body, headers=headers)
    again = await http.post(f"{two}/v1/sessions/{session}/turns", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true" and again.json() == first.json()
    # A streamed turn on one replica, its replay (plain) on the other: the same stored turn.
    streamed: list[tuple[str, Any]] = []
    stream_headers = {**auth, "Idempotency-Key": "turn-1", "Accept": "text/event-stream"}
    async with http.stream(
        "POST",
        f"{two}/v1/sessions/{session}/turns/stream",
        json={"reply": REPLIES[1]},
        headers=stream_headers,
    ) as response:
        assert response.status_code == 200
        event = ""
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                streamed.append((event, json.loads(line.split(":", 1)[1])))
    events = [name for name, _ in streamed]
    assert "partner" in events and "grade" in events and events[-1] == "done"
    replay = await http.post(
        f"{one}/v1/sessions/{session}/turns",
        json={"reply": REPLIES[1]},
        headers={**headers, "Idempotency-Key": "turn-1"},
    )
    assert replay.status_code == 201 and replay.headers.get("idempotent-replayed") == "true"
    partner_text = "".join(data.get("text", "") for name, data in streamed if name == "partner")
    assert replay.json()["turn"]["index"] == 1 and replay.json()["turn"]["partner"]["text"] == partner_text
    read = (await http.get(f"{one}/v1/sessions/{session}", headers=auth)).json()
    assert [turn["reply"] for turn in read["turns"]] == REPLIES[:2]


async def check_optimistic_concurrency(http: httpx.AsyncClient, cluster: Cluster) -> None:
    auth = await key(cluster, "race")
    bases = list(cluster.replicas.values())
    session = await start(http, bases[0], auth, "race-1")
    posts = [
        http.post(f"{bases[n % 2]}/v1/sessions/{session}/turns", json={"reply": REPLIES[n]}, headers=auth)
        for n in range(6)
    ]
    statuses = [response.status_code for response in await asyncio.gather(*posts)]
    assert set(statuses) <= {201, 409} and 201 in statuses, statuses
    turns = (await http.get(f"{bases[1]}/v1/sessions/{session}", headers=auth)).json()["turns"]
    assert [turn["index"] for turn in turns] == list(range(statuses.count(201)))


async def check_rate_limit(http: httpx.AsyncClient, cluster: Cluster) -> None:
    auth = await key(cluster, "limited")
    bases = list(cluster.replicas.values())
    statuses = [
        (await http.get(f"{bases[n % 2]}/v1/scenarios", headers=auth)).status_code
        for n in range(RATE_LIMIT + 4)
    ]
    assert statuses == [200] * RATE_LIMIT + [429] * 4  # one count across both replicas


async def check_board(http: httpx.AsyncClient, cluster: Cluster) -> None:
    one, two = cluster.replicas["trainer-1"], cluster.replicas["trainer-2"]
    facilitator = await key(cluster, "facilitator", Role.facilitator, tenant="workshop")
    app = await key(cluster, "workshop-app", Role.app, tenant="workshop")
    scenario = (await http.get(f"{one}/v1/scenarios", headers=app)).json()["items"][0]["id"]
    cohort = await http.post(
        f"{one}/v1/cohorts", json={"name": "Tuesday", "scenarios": [scenario]}, headers=facilitator
    )
    assert cohort.status_code == 201, cohort.text
    cohort_id = cohort.json()["id"]
    joined = await http.post(
        f"{two}/v1/cohorts/{cohort_id}/learners",
        json={"learner_id": "ana", "display_name": "Ana"},
        headers=app,
    )
    assert joined.status_code == 201, joined.text
    session = await start(http, two, app, "ana")
    turn = await http.post(f"{two}/v1/sessions/{session}/turns", json={"reply": REPLIES[0]}, headers=app)
    assert turn.status_code == 201
    boards = [
        (await http.get(f"{base}/v1/cohorts/{cohort_id}/progress", headers=facilitator)).json()
        for base in (one, two)
    ]
    assert boards[0] == boards[1]
    (ana,) = boards[0]["learners"]
    assert ana["display_name"] == "Ana" and ana["sessions_started"] == 1 and ana["turns"] == 1


async def check_revocation(http: httpx.AsyncClient, cluster: Cluster) -> None:
    auth = await key(cluster, "revoked")
    for base in cluster.replicas.values():  # both replicas have the key in their cache
        assert (await http.get(f"{base}/v1/scenarios", headers=auth)).status_code == 200
    prefix = auth["Authorization"].split("_")[1]
    await asyncio.to_thread(cluster.cli, "keys", "revoke", prefix)
    await asyncio.sleep(1.5)  # TRAINER_KEY_CACHE_SECONDS=1
    for base in cluster.replicas.values():
        assert (await http.get(f"{base}/v1/scenarios", headers=auth)).status_code == 401


async def learner_under_load(
    http: httpx.AsyncClient,
    cluster: Cluster,
    number: int,
    auth: dict[str, str],
    acknowledged: list[tuple[str, int, str, str]],
    under_way: asyncio.Event,
) -> None:
    """Turns through the balancer, each retried with its Idempotency-Key until acknowledged."""
    session = await start(http, cluster.lb, auth, f"load-{number}")
    for index in range(LOAD_TURNS):
        reply = f"{REPLIES[index]} ({number}-{index})"
        headers = {**auth, "Idempotency-Key": f"{session}-{index}"}
        for _attempt in range(40):
            try:
                response = await http.post(
                    f"{cluster.lb}/v1/sessions/{session}/turns", json={"reply": reply}, headers=headers
                )
            except httpx.TransportError:
                await asyncio.sleep(0.1)
                continue
            if response.status_code == 201:
                assert response.json()["turn"]["index"] == index
                acknowledged.append((session, index, reply, response.headers.get("x-served-by", "")))
                if len(acknowledged) >= LOAD_LEARNERS:
                    under_way.set()
                break
            assert response.status_code in {502, 503, 504}, response.text
            await asyncio.sleep(0.1)
        else:
            pytest.fail(f"turn {index} of learner {number} was never acknowledged")
        await asyncio.sleep(0.05)


async def check_losing_a_replica_mid_load(http: httpx.AsyncClient, cluster: Cluster) -> None:
    acknowledged: list[tuple[str, int, str, str]] = []
    keys = [await key(cluster, f"load-{n}", tenant="load") for n in range(LOAD_LEARNERS)]
    under_way = asyncio.Event()
    load = asyncio.gather(
        *(
            learner_under_load(http, cluster, n, keys[n], acknowledged, under_way)
            for n in range(LOAD_LEARNERS)
        )
    )
    await asyncio.wait_for(under_way.wait(), timeout=30)
    await asyncio.to_thread(cluster.kill, "trainer-1")
    before_kill = len(acknowledged)
    await asyncio.wait_for(load, timeout=60)
    # Both replicas acknowledged turns before the kill, only the survivor after it.
    assert {served for *_, served in acknowledged[:before_kill]} == {"trainer-1", "trainer-2"}
    assert {served for *_, served in acknowledged[before_kill + LOAD_LEARNERS :]} == {"trainer-2"}
    assert len(acknowledged) == LOAD_LEARNERS * LOAD_TURNS
    survivor = cluster.replicas["trainer-2"]
    admin = await key(cluster, "auditor", Role.admin, tenant="load")
    stored: dict[str, list[str]] = {}
    for session in {session for session, *_ in acknowledged}:
        body = (await http.get(f"{survivor}/v1/sessions/{session}", headers=admin)).json()
        stored[session] = [turn["reply"] for turn in body["turns"]]
    for session, index, reply, _ in acknowledged:  # every acknowledged turn, once, where it was acknowledged
        assert stored[session][index] == reply
    assert all(len(replies) == LOAD_TURNS for replies in stored.values())


async def test_two_replicas_behind_haproxy_behave_as_one(cluster: Cluster) -> None:
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=20) as http:
        served_by = {(await http.get(f"{cluster.lb}/readyz")).headers.get("x-served-by") for _ in range(4)}
        assert served_by == {"trainer-1", "trainer-2"}
        await check_idempotency_and_streams(http, cluster)
        await check_optimistic_concurrency(http, cluster)
        await check_rate_limit(http, cluster)
        await check_board(http, cluster)
        await check_revocation(http, cluster)
        await check_losing_a_replica_mid_load(http, cluster)
    assert time.monotonic() - started < 90
