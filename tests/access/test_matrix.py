"""Access follows relations: every /v1 and web route, for every role, against every relation, in two
tenants, on SQLite and PostgreSQL.

The world (``build_world``) is described here in plain labels: who created each learner, which
cohort they are in, whether they share. ``expected`` reads the rules off those labels (not off the
database), and every cell of role x route x target is sent to the app and compared. A route the
app serves that this table does not cover fails ``test_every_route_is_in_the_matrix``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import ApiClient, make_scenario
from trainer.app import create_app
from trainer.content.library import ContentLibrary
from trainer.content.rubric import load_rubrics
from trainer.settings import DATA_DIR, Settings
from trainer.store.db import create_engine, create_sessionmaker
from trainer.store.keys import create_key
from trainer.store.migrate import upgrade
from trainer.store.tables import Role

PROGRAMME = ["test-partner"]
OWN = "t1-own"  # a scenario of tenant 1's own
OWN_SOURCE = DATA_DIR / "scenarios" / "never-a-priority.yaml"
REPLY = "What happened then?"


@dataclass
class Learner:
    """A learner of the world, with the labels the rules read."""

    label: str
    tenant: str
    external_id: str = ""
    created_by: str = "app"  # app, web or facilitator
    members: dict[str, int] = field(default_factory=dict)  # cohort label: member id
    shares_in: set[str] = field(default_factory=set)  # cohorts they share their transcript with
    counted_in: set[str] = field(default_factory=set)  # cohorts their session counts for
    app_added: bool = False  # an app key put them in a cohort
    session_id: str = ""
    pass_cookie: str = ""


@dataclass
class Cohort:
    label: str
    tenant: str
    owner: str  # the key label that created it
    cohort_id: int = 0
    code: str = ""


@dataclass
class World:
    keys: dict[str, tuple[str, Role, str]] = field(default_factory=dict)  # label: (token, role, tenant)
    learners: dict[str, Learner] = field(default_factory=dict)
    cohorts: dict[str, Cohort] = field(default_factory=dict)
    facilitator_cookies: dict[str, str] = field(default_factory=dict)

    def auth(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[key][0]}"}


def matrix_library() -> ContentLibrary:
    return ContentLibrary(
        scenarios={"test-partner": make_scenario()}, rubrics=load_rubrics(Settings().rubrics_path)
    )


@pytest.fixture
async def matrix_app(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[Litestar, Settings]]:
    settings = Settings(
        database_url=database_url, rate_limit_per_key=0, rate_limit_per_learner=0, key_cache_seconds=0
    )
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    yield create_app(settings, library=matrix_library()), settings


async def add_keys(settings: Settings, world: World) -> None:
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as db:
            for label, role, tenant in [
                ("app1", Role.app, "t1"),
                ("app2", Role.app, "t1"),
                ("fac1", Role.facilitator, "t1"),
                ("fac2", Role.facilitator, "t1"),
                ("admin1", Role.admin, "t1"),
                ("app9", Role.app, "t2"),
                ("fac9", Role.facilitator, "t2"),
                ("admin9", Role.admin, "t2"),
            ]:
                created = await create_key(db, name=label, role=role, tenant=tenant)
                world.keys[label] = (created.token, role, tenant)
            await db.commit()
    finally:
        await engine.dispose()


def cookie(response: Any, name: str) -> str:
    found = re.search(rf"{name}=([^;]+)", response.headers.get("set-cookie", ""))
    assert found, response.headers
    return found.group(1)


async def web_join(client: ApiClient, code: str, name: str) -> str:
    """Join on the practice page like a browser does; returns the learner pass cookie."""
    client.cookies.clear()
    page = await client.get("/practice")
    token = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert token, page.text
    joined = await client.post(
        "/practice/join",
        data={"code": code, "display_name": name, "form_token": token.group(1)},
        follow_redirects=False,
    )
    assert joined.status_code == 303, joined.text
    value = cookie(joined, "trainer_practice")
    client.cookies.clear()
    return value


def practice(learner: Learner) -> dict[str, str]:
    return {"Cookie": f"trainer_practice={learner.pass_cookie}"}


async def build_world(client: ApiClient, settings: Settings) -> World:
    world = World()
    await add_keys(settings, world)
    for label, owner, tenant in [("C1", "fac1", "t1"), ("C2", "fac2", "t1"), ("C9", "fac9", "t2")]:
        made = await client.post(
            "/v1/cohorts", json={"name": label, "scenarios": PROGRAMME}, headers=world.auth(owner)
        )
        assert made.status_code == 201, made.text
        world.cohorts[label] = Cohort(label, tenant, owner, made.json()["id"], made.json()["join_code"])

    async def app_learner(label: str, key: str, tenant: str) -> Learner:
        learner = Learner(label, tenant, external_id=f"{label}-id")
        started = await client.post(
            "/v1/sessions",
            json={"scenario_id": "test-partner", "learner_id": learner.external_id},
            headers=world.auth(key),
        )
        assert started.status_code == 201, started.text
        learner.session_id = started.json()["id"]
        turn = await client.post(
            f"/v1/sessions/{learner.session_id}/turns", json={"reply": REPLY}, headers=world.auth(key)
        )
        assert turn.status_code == 201, turn.text
        return learner

    async def web_learner(label: str, cohort: str, tenant: str, shares: bool) -> Learner:
        learner = Learner(label, tenant, created_by="web", counted_in={cohort})
        learner.shares_in = {cohort} if shares else set()
        learner.pass_cookie = await web_join(client, world.cohorts[cohort].code, label)
        if shares:
            shared = await client.post("/practice/api/share", json={"share": True}, headers=practice(learner))
            assert shared.status_code == 200, shared.text
        started = await client.post(
            "/practice/api/sessions", json={"scenario_id": "test-partner"}, headers=practice(learner)
        )
        assert started.status_code == 201, started.text
        learner.session_id = started.json()["id"]
        learner.external_id = started.json()["learner_id"]
        turn = await client.post(
            f"/practice/api/sessions/{learner.session_id}/turns",
            json={"reply": REPLY},
            headers=practice(learner),
        )
        assert turn.status_code == 201, turn.text
        return learner

    learners = [
        await app_learner("L_app", "app1", "t1"),
        await app_learner("L_added", "app2", "t1"),
        await web_learner("W_share", "C1", "t1", shares=True),
        await web_learner("W_priv", "C1", "t1", shares=False),
        await web_learner("W_other", "C2", "t1", shares=True),
        await web_learner("W_put", "C2", "t1", shares=False),
        await app_learner("L_t2", "app9", "t2"),
        await web_learner("W_t2", "C9", "t2", shares=True),
    ]
    world.learners = {learner.label: learner for learner in learners}
    # An app key puts its own learner, and a practice-page learner, in facilitator 1's cohort.
    for label, key in [("L_added", "app1"), ("W_put", "app2")]:
        learner = world.learners[label]
        added = await client.post(
            f"/v1/cohorts/{world.cohorts['C1'].cohort_id}/learners",
            json={"learner_id": learner.external_id, "display_name": label},
            headers=world.auth(key),
        )
        assert added.status_code == 201, added.text
        learner.members["C1"], learner.app_added = added.json()["member_id"], True
    for cohort in world.cohorts.values():
        progress = await client.get(
            f"/v1/cohorts/{cohort.cohort_id}/progress", headers=world.auth(cohort.owner)
        )
        for row in progress.json()["learners"]:
            for learner in world.learners.values():
                if learner.external_id == row["learner_id"]:
                    learner.members[cohort.label] = row["member_id"]
    for label in ("fac1", "fac2", "admin1", "fac9"):
        client.cookies.clear()
        page = await client.get("/workshop")
        token = re.search(r'name="form_token" value="([^"]+)"', page.text)
        assert token, page.text
        signed = await client.post(
            "/workshop/login",
            data={"key": world.keys[label][0], "form_token": token.group(1)},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text
        world.facilitator_cookies[label] = cookie(signed, "trainer_workshop")
    client.cookies.clear()
    return world


# --- the rules, read off the labels --------------------------------------------------------------

AGGREGATES, TRANSCRIPT, WRITE = "aggregates", "transcript", "write"


def may(world: World, key: str, learner: Learner, need: str) -> bool:
    _token, role, tenant = world.keys[key]
    if tenant != learner.tenant:
        return False
    if role is Role.admin:
        return True
    if role is Role.app:
        return learner.created_by == "app" or learner.app_added
    own = [c for c in learner.members if world.cohorts[c].owner == key]
    if need == AGGREGATES:
        return bool(own)
    if need == TRANSCRIPT:
        # Shared with that cohort, and the session counts for it (started after joining it).
        return any(c in learner.shares_in and c in learner.counted_in for c in own)
    return False


def board_shows_transcript(learner: Learner, cohort: str) -> bool:
    """The board's transcript: the member shares, and has a session counted for the cohort."""
    return cohort in learner.shares_in and cohort in learner.counted_in


def may_cohort(world: World, key: str, cohort: Cohort, *, app_may: bool = False) -> bool:
    _token, role, tenant = world.keys[key]
    if tenant != cohort.tenant:
        return False
    if role is Role.app:
        return app_may
    return role is Role.admin or cohort.owner == key


@dataclass(frozen=True)
class Cell:
    role_key: str
    method: str
    path: str
    target: str
    allowed: bool
    got: int
    want: int


# --- the routes ----------------------------------------------------------------------------------

SESSION_ROUTES = [  # (method, template, need, status when allowed, json body)
    ("GET", "/v1/sessions/{session_id}", TRANSCRIPT, 200, None),
    ("GET", "/v1/sessions/{session_id}/report", AGGREGATES, 200, None),
    ("GET", "/v1/sessions/{session_id}/hint", WRITE, 200, None),
    ("POST", "/v1/sessions/{session_id}/turns", WRITE, 201, {"reply": REPLY}),
    ("POST", "/v1/sessions/{session_id}/turns/stream", WRITE, 200, {"reply": REPLY}),
    # A turn that is not there: whoever reaches the session learns that (422), nobody else (404).
    ("POST", "/v1/sessions/{session_id}/rewind", WRITE, 422, {"to": 999}),
    # A session the safety screen did not pause: whoever reaches it hears so (409), nobody else (404).
    ("POST", "/v1/sessions/{session_id}/resume", WRITE, 409, None),
]
LEARNER_ROUTES = [
    ("GET", "/v1/learners/{learner_id}/progress", AGGREGATES, 200),
    ("GET", "/v1/sessions?learner_id={learner_id}", AGGREGATES, 200),
]
COHORT_ROUTES = [  # (method, template, status when allowed, body, whether an app key may)
    ("GET", "/v1/cohorts/{cohort_id}", 200, None, False),
    ("GET", "/v1/cohorts/{cohort_id}/progress", 200, None, False),
    ("POST", "/v1/cohorts/{cohort_id}/codes", 201, None, False),
    ("POST", "/v1/cohorts/{cohort_id}/revoke-code", 200, None, False),
    ("GET", "/v1/cohorts/{cohort_id}/progress.csv", 200, None, False),
]
PUBLIC_ROUTES = [  # any key of any role
    ("GET", "/v1/scenarios", 200, None),
    ("GET", "/v1/scenarios/test-partner", 200, None),
    ("GET", "/v1/scenarios/schema", 200, None),
    ("POST", "/v1/grade", 200, {"partner": "I feel left out.", "reply": "You feel left out."}),
]
ROLE_ROUTES = [  # (method, path, roles allowed, status, body): a role rule, not a relation
    ("GET", "/v1/cohorts", {Role.facilitator, Role.admin}, 200, None),
    ("POST", "/v1/cohorts", {Role.facilitator, Role.admin}, 201, {"name": "New", "scenarios": PROGRAMME}),
    # An empty scenario: the roles that may check one hear what is wrong with it (422).
    ("POST", "/v1/scenarios/check", {Role.facilitator, Role.admin}, 422, {}),
    # Storing one follows the same role rule; an empty one is refused with what is wrong (422).
    ("POST", "/v1/scenarios", {Role.facilitator, Role.admin}, 422, {}),
    # A built-in scenario is no tenant's to replace or retire (409), whoever may write scenarios.
    ("PUT", "/v1/scenarios/test-partner", {Role.facilitator, Role.admin}, 409, {}),
    ("DELETE", "/v1/scenarios/test-partner", {Role.facilitator, Role.admin}, 409, None),
]
# Templates the matrix covers, as the app's route table spells them (for the coverage check).
COVERED = {
    ("GET", "/v1/sessions/{session_id:str}"),
    ("GET", "/v1/sessions/{session_id:str}/report"),
    ("GET", "/v1/sessions/{session_id:str}/hint"),
    ("POST", "/v1/sessions/{session_id:str}/turns"),
    ("POST", "/v1/sessions/{session_id:str}/turns/stream"),
    ("POST", "/v1/sessions/{session_id:str}/rewind"),
    ("POST", "/v1/sessions/{session_id:str}/resume"),
    ("GET", "/v1/scenarios/schema"),
    ("POST", "/v1/scenarios/check"),
    ("POST", "/v1/scenarios"),
    ("PUT", "/v1/scenarios/{scenario_id:str}"),
    ("DELETE", "/v1/scenarios/{scenario_id:str}"),
    ("POST", "/practice/api/sessions/{session_id:str}/rewind"),
    ("POST", "/practice/api/sessions/{session_id:str}/resume"),
    ("GET", "/v1/learners/{learner_id:str}/progress"),
    ("DELETE", "/v1/learners/{learner_id:str}"),
    ("GET", "/v1/sessions"),
    ("POST", "/v1/sessions"),
    ("GET", "/v1/cohorts"),
    ("POST", "/v1/cohorts"),
    ("GET", "/v1/cohorts/{cohort_id:int}"),
    ("GET", "/v1/cohorts/{cohort_id:int}/progress"),
    ("POST", "/v1/cohorts/{cohort_id:int}/codes"),
    ("POST", "/v1/cohorts/{cohort_id:int}/revoke-code"),
    ("DELETE", "/v1/cohorts/{cohort_id:int}/codes/{code:str}"),
    ("POST", "/v1/cohorts/{cohort_id:int}/learners"),
    ("DELETE", "/v1/cohorts/{cohort_id:int}/members/{member_id:int}"),
    ("GET", "/v1/scenarios"),
    ("GET", "/v1/scenarios/{scenario_id:str}"),
    ("POST", "/v1/grade"),
    ("GET", "/practice"),
    ("POST", "/practice/join"),
    ("POST", "/practice/leave"),
    ("POST", "/practice/api/sessions"),
    ("POST", "/practice/api/sessions/{session_id:str}/turns"),
    ("GET", "/practice/api/sessions/{session_id:str}/hint"),
    ("GET", "/practice/api/sessions/{session_id:str}/report"),
    ("POST", "/practice/api/share"),
    ("GET", "/workshop"),
    ("POST", "/workshop/login"),
    ("POST", "/workshop/logout"),
    ("POST", "/workshop/cohorts"),
    ("GET", "/workshop/cohorts/{cohort_id:int}"),
    ("POST", "/workshop/cohorts/{cohort_id:int}/code"),
    ("POST", "/workshop/scenarios"),
    ("GET", "/workshop/api/cohorts/{cohort_id:int}/progress"),
    ("GET", "/workshop/api/cohorts/{cohort_id:int}/progress.csv"),
    ("GET", "/v1/cohorts/{cohort_id:int}/progress.csv"),
    ("POST", "/practice/api/sessions/{session_id:str}/end"),
    ("GET", "/workshop/api/cohorts/{cohort_id:int}/members/{member_id:int}/transcript"),
}
NOT_DATA = ("/schema", "/healthz", "/livez", "/readyz", "/metrics", "/web-static")


def app_routes(app: Litestar) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        path = route.path.rstrip("/") or "/"
        if path.startswith(NOT_DATA) or path == "/":
            continue
        for method in getattr(route, "methods", ()):
            if method not in ("HEAD", "OPTIONS"):
                found.add((method, path))
    return found


def test_every_route_is_in_the_matrix() -> None:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"), library=matrix_library())
    missing = app_routes(app) - COVERED
    assert not missing, f"routes the access matrix does not cover: {sorted(missing)}"


async def send(client: ApiClient, method: str, path: str, headers: dict[str, str], body: Any) -> int:
    response = await client.request(method, path, headers=headers, json=body)
    return response.status_code


async def test_access_follows_relations(matrix_app: tuple[Litestar, Settings]) -> None:
    app, settings = matrix_app
    async with AsyncTestClient(app=app) as client:
        world = await build_world(client, settings)
        cells = [
            *await api_cells(client, world),
            *await web_learner_cells(client, world),
            *await web_facilitator_cells(client, world),
            *await joining_cells(client, world),
            *await tenant_scenario_cells(client, world),
            *await erase_cells(client, world),
        ]
    wrong = [c for c in cells if c.got != c.want]
    assert not wrong, f"{len(wrong)} of {len(cells)} cells wrong:\n" + "\n".join(
        f"  {c.role_key} {c.method} {c.path} [{c.target}]: got {c.got}, want {c.want}" for c in wrong[:40]
    )
    assert len(cells) > 700, len(cells)


async def cell(
    client: ApiClient,
    who: str,
    method: str,
    path: str,
    target: str,
    headers: dict[str, str],
    body: Any,
    *,
    allowed: bool,
    ok: int,
    refused: int = 404,
) -> Cell:
    got = await send(client, method, path, headers, body)
    return Cell(who, method, path, target, allowed, got, ok if allowed else refused)


async def api_cells(client: ApiClient, world: World) -> list[Cell]:
    """Every key against every learner's session and data, every cohort, and the open routes."""
    cells: list[Cell] = []
    body: Any
    for key, (_token, role, tenant) in world.keys.items():
        auth = world.auth(key)
        for learner in world.learners.values():
            for method, template, need, ok, body in SESSION_ROUTES:
                path = template.format(session_id=learner.session_id)
                allowed = may(world, key, learner, need)
                cells.append(
                    await cell(client, key, method, path, learner.label, auth, body, allowed=allowed, ok=ok)
                )
            for method, template, need, ok in LEARNER_ROUTES:
                path = template.format(learner_id=learner.external_id)
                allowed = may(world, key, learner, need)
                response = await client.request(method, path, headers=auth)
                got = response.status_code
                if "?learner_id" in template and got == 200 and not response.json()["items"]:
                    got = 404  # an empty list: the learner is unknown to this key, like a missing one
                cells.append(Cell(key, method, path, learner.label, allowed, got, ok if allowed else 404))
            if learner.tenant == tenant:  # another tenant's id is simply a new learner here
                allowed = role is not Role.facilitator and may(world, key, learner, WRITE)
                body = {"scenario_id": "test-partner", "learner_id": learner.external_id}
                refused = 403 if role is Role.facilitator else 404
                cells.append(
                    await cell(
                        client,
                        key,
                        "POST",
                        "/v1/sessions",
                        learner.label,
                        auth,
                        body,
                        allowed=allowed,
                        ok=201,
                        refused=refused,
                    )
                )
        for cohort in world.cohorts.values():
            if not may_cohort(world, key, cohort):  # revoking the live code of someone else's cohort
                owner = world.auth(cohort.owner)
                live = (await client.get(f"/v1/cohorts/{cohort.cohort_id}", headers=owner)).json()
                path = f"/v1/cohorts/{cohort.cohort_id}/codes/{live['join_code']}"
                refused = 403 if role is Role.app else 404
                revoked = await cell(
                    client,
                    key,
                    "DELETE",
                    path,
                    cohort.label,
                    auth,
                    None,
                    allowed=False,
                    ok=204,
                    refused=refused,
                )
                cells.append(revoked)
            for method, template, ok, body, app_may in COHORT_ROUTES:
                path = template.format(cohort_id=cohort.cohort_id)
                allowed = may_cohort(world, key, cohort, app_may=app_may)
                refused = 403 if role is Role.app else 404
                cells.append(
                    await cell(
                        client,
                        key,
                        method,
                        path,
                        cohort.label,
                        auth,
                        body,
                        allowed=allowed,
                        ok=ok,
                        refused=refused,
                    )
                )
        for method, path, ok, body in PUBLIC_ROUTES:
            cells.append(await cell(client, key, method, path, "-", auth, body, allowed=True, ok=ok))
        for method, path, roles, ok, body in ROLE_ROUTES:
            cells.append(
                await cell(
                    client, key, method, path, "-", auth, body, allowed=role in roles, ok=ok, refused=403
                )
            )
        fresh = {"scenario_id": "test-partner", "learner_id": f"new-{key}"}
        cells.append(
            await cell(
                client,
                key,
                "POST",
                "/v1/sessions",
                "new learner",
                auth,
                fresh,
                allowed=role is not Role.facilitator,
                ok=201,
                refused=403,
            )
        )
    return cells


def own_scenario(name: str = "Maya") -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(OWN_SOURCE.read_text(encoding="utf-8"))
    document["id"], document["partner"]["name"] = OWN, name
    return document


async def tenant_scenario_cells(client: ApiClient, world: World) -> list[Cell]:
    """A scenario of tenant 1's own: every key of tenant 1 reads it and (app and admin keys) starts
    sessions on it; its facilitators and admins replace it; tenant 2 never finds it (404) and app
    keys may never write scenarios (403). Then it is retired: gone for every key."""
    stored = await client.post("/v1/scenarios", json=own_scenario(), headers=world.auth("fac1"))
    assert stored.status_code == 201, stored.text
    cells: list[Cell] = []
    path = f"/v1/scenarios/{OWN}"
    for key, (_token, role, tenant) in world.keys.items():
        auth, ours = world.auth(key), tenant == "t1"
        cells.append(await cell(client, key, "GET", path, OWN, auth, None, allowed=ours, ok=200))
        start = {"scenario_id": OWN, "learner_id": f"own-{key}"}
        refused = 403 if role is Role.facilitator else 404
        starts = ours and role is not Role.facilitator
        cells.append(
            await cell(
                client, key, "POST", "/v1/sessions", OWN, auth, start, allowed=starts, ok=201, refused=refused
            )
        )
        writes = role is not Role.app
        refused = 403 if not writes else 404
        cells.append(
            await cell(
                client,
                key,
                "PUT",
                path,
                OWN,
                auth,
                own_scenario(key),
                allowed=writes and ours,
                ok=200,
                refused=refused,
            )
        )
        if not (writes and ours):
            cells.append(
                await cell(
                    client, key, "DELETE", path, OWN, auth, None, allowed=False, ok=204, refused=refused
                )
            )
    cells.append(
        await cell(client, "fac2", "DELETE", path, OWN, world.auth("fac2"), None, allowed=True, ok=204)
    )
    for key in world.keys:
        cells.append(await cell(client, key, "GET", path, OWN, world.auth(key), None, allowed=False, ok=200))
    return cells


async def joining_cells(client: ApiClient, world: World) -> list[Cell]:
    """Putting an existing learner in a cohort: an app key any learner of its tenant (a membership it
    creates makes the learner the app's to reach; adding a member again changes nothing); a
    facilitator only its cohorts' learners into its cohorts; an admin anyone. Runs after the reading
    cells, since it changes who reaches whom (the labels follow)."""
    cells: list[Cell] = []
    for key, (_token, role, tenant) in world.keys.items():
        for learner in world.learners.values():
            for cohort in world.cohorts.values():
                if learner.tenant != tenant or cohort.tenant != tenant:
                    continue
                allowed = may_cohort(world, key, cohort, app_may=True) and (
                    role is not Role.facilitator or may(world, key, learner, AGGREGATES)
                )
                path = f"/v1/cohorts/{cohort.cohort_id}/learners"
                body = {"learner_id": learner.external_id, "display_name": "x"}
                response = await client.post(path, json=body, headers=world.auth(key))
                cells.append(
                    Cell(
                        key,
                        "POST",
                        path,
                        learner.label,
                        allowed,
                        response.status_code,
                        201 if allowed else 404,
                    )
                )
                if allowed and response.status_code == 201 and cohort.label not in learner.members:
                    learner.members[cohort.label] = response.json()["member_id"]
                    learner.app_added = learner.app_added or role is Role.app
    return cells


async def web_learner_cells(client: ApiClient, world: World) -> list[Cell]:
    """A learner's pass reaches their own sessions only; an API key is no pass."""
    cells: list[Cell] = []
    body: Any
    callers = {name: practice(world.learners[name]) for name in ("W_share", "W_priv", "W_t2")}
    callers["app1-key"] = world.auth("app1")
    for caller, headers in callers.items():
        has_pass = caller != "app1-key"
        for learner in world.learners.values():
            own = caller == learner.label
            for method, template, ok, body in [
                ("POST", "/practice/api/sessions/{s}/turns", 201, {"reply": REPLY}),
                ("GET", "/practice/api/sessions/{s}/hint", 200, None),
                ("GET", "/practice/api/sessions/{s}/report", 200, None),
                ("POST", "/practice/api/sessions/{s}/rewind", 422, {"to": 999}),
                ("POST", "/practice/api/sessions/{s}/resume", 409, None),  # not paused
                ("POST", "/practice/api/sessions/{s}/end", 200, None),
            ]:
                path = template.format(s=learner.session_id)
                refused = 404 if has_pass else 401
                cells.append(
                    await cell(
                        client,
                        caller,
                        method,
                        path,
                        learner.label,
                        headers,
                        body,
                        allowed=own,
                        ok=ok,
                        refused=refused,
                    )
                )
        for method, path, ok, body in [
            ("POST", "/practice/api/sessions", 201, {"scenario_id": "test-partner"}),
            (
                "POST",
                "/practice/api/share",
                200,
                {"share": caller in world.learners and bool(world.learners[caller].shares_in)},
            ),
        ]:
            cells.append(
                await cell(
                    client, caller, method, path, "self", headers, body, allowed=has_pass, ok=ok, refused=401
                )
            )
        page = await client.get("/practice", headers=headers)
        joined = 200 if "Pick a conversation" in page.text else 401
        cells.append(Cell(caller, "GET", "/practice", "self", has_pass, joined, 200 if has_pass else 401))
    return cells


async def web_facilitator_cells(client: ApiClient, world: World) -> list[Cell]:
    """A facilitator's sign-in reaches its own cohorts (an admin's, the tenant's); transcripts when shared."""
    cells: list[Cell] = []
    for key, value in world.facilitator_cookies.items():
        headers = {"Cookie": f"trainer_workshop={value}"}
        for cohort in world.cohorts.values():
            allowed = may_cohort(world, key, cohort)
            for path in (
                f"/workshop/api/cohorts/{cohort.cohort_id}/progress",
                f"/workshop/api/cohorts/{cohort.cohort_id}/progress.csv",
                f"/workshop/cohorts/{cohort.cohort_id}",
            ):
                cells.append(
                    await cell(client, key, "GET", path, cohort.label, headers, None, allowed=allowed, ok=200)
                )
            # A new join code from the cohort's page (the old one stops working): only its owner's (or
            # an admin's) sign-in; for anyone else the cohort is not there.
            path = f"/workshop/cohorts/{cohort.cohort_id}/code"
            renewed = await client.post(path, data={"action": "new"}, headers=headers, follow_redirects=False)
            cells.append(
                Cell(key, "POST", path, cohort.label, allowed, renewed.status_code, 303 if allowed else 404)
            )
            # Uploading a scenario onto a cohort's programme: only onto a cohort the sign-in reaches.
            document = own_scenario(key)
            document["id"] = f"page-{key}-{cohort.label.lower()}"
            uploaded = await client.post(
                "/workshop/scenarios",
                files={"scenario": ("own.yaml", yaml.safe_dump(document).encode(), "application/yaml")},
                data={"cohort_id": str(cohort.cohort_id)},
                headers=headers,
                follow_redirects=False,
            )
            path = "/workshop/scenarios"
            cells.append(
                Cell(key, "POST", path, cohort.label, allowed, uploaded.status_code, 303 if allowed else 404)
            )
            for learner in world.learners.values():
                member_id = learner.members.get(cohort.label)
                if member_id is None:
                    continue
                path = f"/workshop/api/cohorts/{cohort.cohort_id}/members/{member_id}/transcript"
                shown = allowed and board_shows_transcript(learner, cohort.label)
                cells.append(
                    await cell(client, key, "GET", path, learner.label, headers, None, allowed=shown, ok=200)
                )
    return cells


async def erase_cells(client: ApiClient, world: World) -> list[Cell]:
    """Removing members and erasing learners, last (they destroy): every refusal first, then one
    allowed removal per cohort and the first key allowed erases each learner."""
    cells: list[Cell] = []
    for learner in world.learners.values():
        for label, member_id in sorted(learner.members.items()):
            cohort = world.cohorts[label]
            path = f"/v1/cohorts/{cohort.cohort_id}/members/{member_id}"
            for key, (_token, role, _tenant) in world.keys.items():
                if not may_cohort(world, key, cohort):
                    refused = 403 if role is Role.app else 404
                    cells.append(
                        await cell(
                            client,
                            key,
                            "DELETE",
                            path,
                            learner.label,
                            world.auth(key),
                            None,
                            allowed=False,
                            ok=204,
                            refused=refused,
                        )
                    )
        allowed_keys = [k for k in world.keys if may(world, k, learner, WRITE)]
        path = f"/v1/learners/{learner.external_id}"
        for key in world.keys:
            if key not in allowed_keys:
                cells.append(
                    await cell(
                        client,
                        key,
                        "DELETE",
                        path,
                        learner.label,
                        world.auth(key),
                        None,
                        allowed=False,
                        ok=204,
                    )
                )
    for learner in world.learners.values():
        # The owner removes a practice-page learner from its cohort (not one an app put there: that
        # would change which app keys reach them, and so the erasing below).
        if learner.created_by == "web" and not learner.app_added:
            for label, member_id in sorted(learner.members.items()):
                cohort = world.cohorts[label]
                path = f"/v1/cohorts/{cohort.cohort_id}/members/{member_id}"
                auth = world.auth(cohort.owner)
                removed = await cell(
                    client, cohort.owner, "DELETE", path, learner.label, auth, None, allowed=True, ok=204
                )
                cells.append(removed)
        first = next(k for k in world.keys if may(world, k, learner, WRITE))
        path = f"/v1/learners/{learner.external_id}"
        cells.append(
            await cell(
                client, first, "DELETE", path, learner.label, world.auth(first), None, allowed=True, ok=204
            )
        )
    return cells
