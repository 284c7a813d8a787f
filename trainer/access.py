"""Whose data is it: which key may reach which learner, and for what. Access follows relations.

Within a tenant:

- an **app** key reaches the learners that an app created (any app key of the tenant, so keys can
  be rotated), and the learners an app key put in a cohort; never the practice page's learners
  otherwise. It may read them, practise for them and erase them;
- a **facilitator** key reaches the learners of the cohorts it owns: their progress and aggregates
  always, a transcript only when the learner shares it with that cohort (and only the cohort's
  sessions), and never to write a turn, start a session or erase;
- an **admin** key reaches every learner of its tenant.

Anything else is ``NotFound``, worded like an id that does not exist, so that ids cannot be probed.
Another tenant's learner is never found at all. Plain values in, no HTTP: the controllers build an
``Actor`` from their caller and ask here before they call the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.store.cohort_tables import Cohort, CohortMember
from trainer.store.tables import Learner, PracticeSession, Role
from trainer.vocabulary.errors import NotFound
from trainer.vocabulary.times import as_utc

WEB_CREATOR = "web"  # a learner who joined on the practice page, not through a key


class Need(StrEnum):
    """What the caller wants to do with a learner's data."""

    aggregates = "aggregates"  # progress, reports, session lists: scores and states, no text
    transcript = "transcript"  # a session with its replies and the partner's lines
    write = "write"  # start a session, post a turn or ask a hint for them, erase them


@dataclass(frozen=True)
class Actor:
    """The caller as the access rules see it: a key of a tenant, with its role."""

    tenant_id: int
    key_id: int
    role: Role


@dataclass(frozen=True)
class Membership:
    """A learner's place in one cohort, as a facilitator's rule needs it."""

    owner_key_id: int
    scenarios: tuple[str, ...]
    shares: bool
    joined_at: datetime


async def memberships(db: AsyncSession, learner_id: int) -> list[tuple[CohortMember, Cohort]]:
    query = (
        select(CohortMember, Cohort)
        .join(Cohort, col(CohortMember.cohort_id) == col(Cohort.id))
        .where(CohortMember.learner_id == learner_id)
    )
    return list((await db.exec(query)).all())


def app_reaches(learner: Learner, members: list[tuple[CohortMember, Cohort]]) -> bool:
    return learner.created_by_role == Role.app or any(m.added_by_role == Role.app for m, _ in members)


def counted_for(session: PracticeSession, member: CohortMember, cohort: Cohort) -> bool:
    """A session the cohort counts: on its programme, started after the learner joined."""
    return session.scenario_id in cohort.scenarios and as_utc(session.created_at) >= as_utc(member.created_at)


def may(
    actor: Actor,
    learner: Learner,
    members: list[tuple[CohortMember, Cohort]],
    need: Need,
    session: PracticeSession | None = None,
) -> bool:
    """Whether ``actor`` may do ``need`` with ``learner`` (and, for a transcript, with ``session``)."""
    if learner.tenant_id != actor.tenant_id:
        return False
    if actor.role is Role.admin:
        return True
    if actor.role is Role.app:
        return app_reaches(learner, members)
    owned = [(m, c) for m, c in members if c.owner_key_id == actor.key_id and c.tenant_id == actor.tenant_id]
    if need is Need.aggregates:
        return bool(owned)
    if need is Need.transcript:
        return any(m.share_transcript and (session is None or counted_for(session, m, c)) for m, c in owned)
    return False


async def may_reach(
    db: AsyncSession, actor: Actor, learner: Learner, need: Need, session: PracticeSession | None = None
) -> bool:
    """``may``, reading the learner's cohorts only when its answer can depend on them: an admin, and
    an app key with a learner an app created, are answered by the learner alone (so the
    server-to-server path costs no cohort read per request)."""
    decided = actor.role is Role.admin or (actor.role is Role.app and learner.created_by_role == Role.app)
    assert learner.id is not None
    members = [] if decided else await memberships(db, learner.id)
    return may(actor, learner, members, need, session)


def _no_learner(external_id: str) -> NotFound:
    return NotFound(
        f"no learner {external_id!r}; a learner appears with their first session (POST /v1/sessions)"
    )


async def find_learner(db: AsyncSession, tenant_id: int, external_id: str) -> Learner | None:
    query = select(Learner).where(Learner.tenant_id == tenant_id, Learner.external_id == external_id)
    return (await db.exec(query)).first()


async def reachable_learner(db: AsyncSession, actor: Actor, external_id: str, need: Need) -> Learner | None:
    """The tenant's learner if ``actor`` may do ``need`` with them; None when there is no such learner.

    A learner the actor may not reach raises ``NotFound`` (so does a missing one, for callers that
    need a learner: see ``require_learner``).
    """
    learner = await find_learner(db, actor.tenant_id, external_id)
    if learner is None:
        return None
    if not await may_reach(db, actor, learner, need):
        raise _no_learner(external_id)
    return learner


async def require_learner(db: AsyncSession, actor: Actor, external_id: str, need: Need) -> Learner:
    learner = await reachable_learner(db, actor, external_id, need)
    if learner is None:
        raise _no_learner(external_id)
    return learner


async def check_new_learner(db: AsyncSession, actor: Actor, external_id: str) -> None:
    """Before a key starts a session for ``external_id``: an existing learner must be its to write."""
    if actor.role is Role.facilitator:
        raise _no_learner(external_id)
    await reachable_learner(db, actor, external_id, Need.write)


async def check_session(db: AsyncSession, actor: Actor, session_id: str, need: Need) -> None:
    """NotFound unless the session exists in the actor's tenant and the actor may do ``need`` with it."""
    query = (
        select(PracticeSession, Learner)
        .join(Learner, col(PracticeSession.learner_id) == col(Learner.id))
        .where(PracticeSession.id == session_id, PracticeSession.tenant_id == actor.tenant_id)
    )
    found = (await db.exec(query)).first()
    if found is not None:
        session, learner = found
        if await may_reach(db, actor, learner, need, session):
            return
    raise NotFound(f"no session {session_id!r}")


def created_by(actor: Actor | None) -> tuple[str, int | None]:
    """What a new learner records about who brought them in: (role, key id), or the practice page."""
    if actor is None:
        return WEB_CREATOR, None
    return actor.role.value, actor.key_id
