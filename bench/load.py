"""The load driver: N concurrent learners practise whole scenarios through the HTTP API.

Each learner starts a session, asks for a hint and posts it as its reply (with a fresh
Idempotency-Key; every ``replay_every``-th turn is sent twice to check the replay), streams every
``stream_every``-th turn, and reads the report when the session ends; then starts the next one,
until the run's time is up. With a think time, learners arrive spread over the first think
interval (not all session starts in the same millisecond) and think before every reply, the first
one included (they read the partner's line, then write). Latency is client-side (send to full
answer) and server-side (the ``Server-Timing: app;dur=`` header that bench/timed_app.py adds).
Samples from the first ``warmup_s`` seconds are dropped. Everything is bounded: the run's time,
sessions per learner, turns per session.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

MAX_SESSIONS_PER_LEARNER = 200
REQUEST_TIMEOUT_S = 60.0
KEEPALIVE_S = 4.0
_SERVER_TIMING = re.compile(r"app;dur=([0-9.]+)")


@dataclass(frozen=True)
class LoadPlan:
    learners: int
    duration_s: float
    warmup_s: float = 2.0
    think_s: tuple[float, float] = (0.0, 0.0)
    stream_every: int = 4
    replay_every: int = 10
    seed: int = 1


@dataclass
class LoadResult:
    """What a run measured; latencies in milliseconds."""

    turn_ms: list[float] = field(default_factory=list)
    turn_server_ms: list[float] = field(default_factory=list)
    first_word_ms: list[float] = field(default_factory=list)
    stream_ms: list[float] = field(default_factory=list)
    other_ms: list[float] = field(default_factory=list)
    turns: int = 0
    streamed: int = 0
    replays_checked: int = 0
    sessions: int = 0
    reports: int = 0
    degraded: int = 0
    engines: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    measured_s: float = 0.0

    @property
    def turns_per_s(self) -> float:
        return self.turns / self.measured_s if self.measured_s else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def server_ms(response: httpx.Response) -> float | None:
    found = _SERVER_TIMING.search(response.headers.get("server-timing", ""))
    return float(found.group(1)) if found else None


class _Failed(Exception):
    """A request failed; the learner drops the session and starts a new one."""


class Learner:
    def __init__(
        self,
        client: httpx.AsyncClient,
        plan: LoadPlan,
        result: LoadResult,
        number: int,
        scenario_ids: list[str],
        window: tuple[float, float],
    ) -> None:
        self._client = client
        self._plan = plan
        self._result = result
        self._number = number
        self._scenarios = scenario_ids
        self._measure_from, self._deadline = window
        self._random = random.Random(plan.seed * 100_003 + number)
        self._turn_count = 0

    def _measuring(self, started: float) -> bool:
        return self._measure_from <= started and time.perf_counter() <= self._deadline

    def _check(self, response: httpx.Response, what: str) -> Any:
        if response.status_code >= 300:
            self._result.errors[f"{what} {response.status_code}"] += 1
            raise _Failed(what)
        return response.json()

    async def _request(self, method: str, url: str, what: str, **kwargs: Any) -> tuple[Any, httpx.Response]:
        started = time.perf_counter()
        try:
            response = await self._client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            self._result.errors[f"{what} {type(error).__name__}"] += 1
            raise _Failed(what) from error
        body = self._check(response, what)
        if what != "turn" and self._measuring(started):
            self._result.other_ms.append((time.perf_counter() - started) * 1000)
        return body, response

    async def run(self) -> None:
        if self._plan.think_s[1] > 0:
            await asyncio.sleep(self._random.uniform(0.0, self._plan.think_s[1]))  # arrivals spread out
        for session_number in range(MAX_SESSIONS_PER_LEARNER):
            if time.perf_counter() >= self._deadline:
                return
            scenario = self._scenarios[(self._number + session_number) % len(self._scenarios)]
            try:
                await self._session(scenario, f"bench-{self._number}-{session_number}")
            except _Failed:
                continue

    async def _session(self, scenario_id: str, learner_id: str) -> None:
        session, _ = await self._request(
            "POST", "/v1/sessions", "create", json={"scenario_id": scenario_id, "learner_id": learner_id}
        )
        session_id = session["id"]
        self._result.sessions += 1
        status = session["status"]
        for _ in range(int(session["max_turns"]) + 1):
            if status != "active" or time.perf_counter() >= self._deadline:
                break
            low, high = self._plan.think_s
            if high > 0:
                await asyncio.sleep(self._random.uniform(low, high))  # reads the line, writes a reply
                if time.perf_counter() >= self._deadline:
                    break
            hint, _ = await self._request("GET", f"/v1/sessions/{session_id}/hint", "hint")
            self._turn_count += 1
            if self._plan.stream_every and self._turn_count % self._plan.stream_every == 0:
                status = await self._streamed_turn(session_id, hint["reply"])
            else:
                status = await self._turn(session_id, hint["reply"])
        if status != "active":
            await self._request("GET", f"/v1/sessions/{session_id}/report", "report")
            self._result.reports += 1

    async def _turn(self, session_id: str, reply: str) -> str:
        key = str(uuid.uuid4())
        url = f"/v1/sessions/{session_id}/turns"
        started = time.perf_counter()
        body, response = await self._request(
            "POST", url, "turn", json={"reply": reply}, headers={"Idempotency-Key": key}
        )
        elapsed_ms = (time.perf_counter() - started) * 1000
        if self._measuring(started):
            self._result.turns += 1
            self._result.turn_ms.append(elapsed_ms)
            if (on_server := server_ms(response)) is not None:
                self._result.turn_server_ms.append(on_server)
            self._count_grade(body["turn"]["grade"])
        # Spread over learners, so that short (paced) runs check replays too.
        if self._plan.replay_every and (self._number + self._turn_count) % self._plan.replay_every == 0:
            again, replayed = await self._request(
                "POST", url, "replay", json={"reply": reply}, headers={"Idempotency-Key": key}
            )
            if replayed.headers.get("idempotent-replayed") != "true" or again != body:
                self._result.errors["replay differs"] += 1
            else:
                self._result.replays_checked += 1
        return str(body["session"]["status"])

    def _count_grade(self, grade: dict[str, Any]) -> None:
        self._result.engines[str(grade["engine"])] += 1
        self._result.degraded += bool(grade["degraded"])

    async def _streamed_turn(self, session_id: str, reply: str) -> str:
        started = time.perf_counter()
        first_word: float | None = None
        status = "active"
        event = ""
        url = f"/v1/sessions/{session_id}/turns/stream"
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        try:
            async with self._client.stream("POST", url, json={"reply": reply}, headers=headers) as response:
                if response.status_code >= 300:
                    await response.aread()
                    self._check(response, "stream")
                async for line in response.aiter_lines():
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:"):
                        data = json.loads(line[5:])
                        if event == "partner" and first_word is None and data.get("text", "").strip():
                            first_word = time.perf_counter()
                        elif event == "grade" and self._measuring(started):
                            self._count_grade(data)
                        elif event == "state":
                            status = data["status"]
                        elif event == "error":
                            self._result.errors[f"stream error event {data.get('status')}"] += 1
                            raise _Failed("stream")
        except httpx.HTTPError as error:
            self._result.errors[f"stream {type(error).__name__}"] += 1
            raise _Failed("stream") from error
        if self._measuring(started):
            self._result.turns += 1
            self._result.streamed += 1
            self._result.stream_ms.append((time.perf_counter() - started) * 1000)
            if first_word is not None:
                self._result.first_word_ms.append((first_word - started) * 1000)
            else:
                self._result.errors["stream without partner words"] += 1
        return status


def _client(base_url: str, key: str | None = None) -> httpx.AsyncClient:
    """One client per learner, as separate apps or browsers would be: httpx's shared pool costs more
    CPU per request as connections grow. Idle connections expire before uvicorn's 5 s keep-alive, so
    a thinking learner never reuses a connection the server is closing."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=2, keepalive_expiry=KEEPALIVE_S)
    return httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=REQUEST_TIMEOUT_S)


async def run_learners(base_url: str, key: str, plan: LoadPlan) -> LoadResult:
    """``plan.learners`` learners practising at once for ``plan.duration_s`` seconds."""
    result = LoadResult()
    async with _client(base_url, key) as client:
        scenarios = (await client.get("/v1/scenarios")).raise_for_status().json()["items"]
    scenario_ids = [item["id"] for item in scenarios]
    clients = [_client(base_url, key) for _ in range(plan.learners)]
    try:
        started = time.perf_counter()
        window = (started + plan.warmup_s, started + plan.warmup_s + plan.duration_s)
        learners = [Learner(clients[n], plan, result, n, scenario_ids, window) for n in range(plan.learners)]
        await asyncio.gather(*(learner.run() for learner in learners))
        result.measured_s = min(time.perf_counter(), window[1]) - window[0]
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return result


async def run_bare(base_url: str, clients: int, duration_s: float, warmup_s: float = 1.0) -> LoadResult:
    """``clients`` closed-loop clients posting to the bare app's one-insert endpoint."""
    result = LoadResult()
    started = time.perf_counter()
    measure_from, deadline = started + warmup_s, started + warmup_s + duration_s

    async def one_client(client: httpx.AsyncClient, number: int) -> None:
        for count in range(10_000_000):
            begun = time.perf_counter()
            if begun >= deadline:
                return
            try:
                response = await client.post("/hit", json={"text": f"client {number} hit {count}"})
            except httpx.HTTPError as error:
                result.errors[type(error).__name__] += 1
                continue
            if response.status_code != 201:
                result.errors[f"hit {response.status_code}"] += 1
            elif begun >= measure_from and time.perf_counter() <= deadline:
                result.turns += 1
                result.turn_ms.append((time.perf_counter() - begun) * 1000)
                if (on_server := server_ms(response)) is not None:
                    result.turn_server_ms.append(on_server)

    pool = [_client(base_url) for _ in range(clients)]
    try:
        await asyncio.gather(*(one_client(client, n) for n, client in enumerate(pool)))
    finally:
        await asyncio.gather(*(client.aclose() for client in pool))
    result.measured_s = duration_s
    return result
