"""Workshops as a service: cohorts, join codes, members, and the cohort's progress.

A cohort is a facilitator's room: a name, a programme of scenarios and one live join code. Learners
join with the code (the practice page) or are added by the app backend; their practice sessions are
the ordinary ones (``trainer.sessions``), counted for the cohort when they are on the programme and
started after joining. Progress reads only scores and states, never the text of a turn.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from statistics import fmean
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.access import Actor, Need, created_by, reachable_learner
from trainer.cohorts import store as repo
from trainer.cohorts.names import shown_names
from trainer.content.catalogue import catalogue
from trainer.content.library import ContentLibrary
from trainer.content.scenario import Stage
from trainer.partner.state import SessionStatus
from trainer.sessions.store import get_or_create_learner
from trainer.store.cohort_tables import Cohort, CohortMember, JoinCode
from trainer.store.db import writing
from trainer.store.tables import PracticeSession, Role
from trainer.vocabulary.errors import CohortFull, JoinRefused, NotFound
from trainer.vocabulary.grades import RubricName
from trainer.vocabulary.times import UtcDatetime, as_utc

# No 0/O, 1/I/L: a code is read off a projector and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
RECENT_TURNS = 10  # a learner's "recent average" is over their last ten replies in the cohort
STUCK_SAFETY = 30  # at or below this the partner is close to withdrawing
STUCK_TURNS = 4  # this many replies without the partner's stage moving is stuck


class LearnerState(StrEnum):
    needs_attention = "needs_attention"  # the safety screen paused their latest session
    not_started = "not_started"
    practising = "practising"
    stuck = "stuck"
    withdrawn = "withdrawn"  # the partner withdrew
    ended = "ended"  # the learner chose to end the conversation
    done = "done"  # the partner felt understood


class RoomGroup(StrEnum):
    """What the big screen counts: the room as a whole, never who is in which group."""

    waiting = "waiting"
    practising = "practising"
    done = "done"
    need_a_hand = "need_a_hand"


# Each learner state counts in one group of the room; a new state names its group here.
ROOM_GROUP: dict[LearnerState, RoomGroup] = {
    LearnerState.needs_attention: RoomGroup.need_a_hand,
    LearnerState.not_started: RoomGroup.waiting,
    LearnerState.practising: RoomGroup.practising,
    LearnerState.stuck: RoomGroup.need_a_hand,
    LearnerState.withdrawn: RoomGroup.need_a_hand,
    LearnerState.ended: RoomGroup.done,
    LearnerState.done: RoomGroup.done,
}


@dataclass(frozen=True)
class Viewer:
    """Who asks: a key of a tenant. Facilitators see the cohorts their key created; admins, all."""

    tenant_id: int
    key_id: int
    sees_all: bool


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a learner typed, as stored: capitals, without spaces or dashes."""
    return "".join(c for c in typed.upper() if c.isalnum())


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


async def check_programme(
    db: AsyncSession, library: ContentLibrary, tenant_id: int, scenario_ids: list[str]
) -> list[str]:
    """The programme without repeats, in the given order; an id the tenant cannot use (unknown,
    another tenant's or retired) is a NotFound naming it."""
    usable = {entry.scenario.id for entry in await catalogue(db, library, tenant_id)}
    unknown = [s for s in scenario_ids if s not in usable]
    if unknown:
        raise NotFound(f"no scenario {', '.join(map(repr, unknown))}; GET /v1/scenarios lists them")
    return list(dict.fromkeys(scenario_ids))


async def add_to_programme(
    db: AsyncSession, library: ContentLibrary, cohort: Cohort, scenario_id: str
) -> Cohort:
    """Put a scenario the tenant can use at the end of the cohort's programme (once)."""
    await check_programme(db, library, cohort.tenant_id, [scenario_id])
    if scenario_id not in cohort.scenarios:
        cohort.scenarios = [*cohort.scenarios, scenario_id]
        db.add(cohort)
    await db.commit()
    return cohort


async def issue_code(db: AsyncSession, cohort: Cohort) -> JoinCode:
    """A fresh join code for the cohort; any live one is revoked first."""
    assert cohort.id is not None
    await repo.revoke_codes(db, cohort.id)
    while True:
        code = new_code()
        if await repo.find_code(db, code) is None:
            return await repo.add_code(db, cohort.id, code)


async def create_cohort(
    db: AsyncSession, library: ContentLibrary, viewer: Viewer, name: str, scenario_ids: list[str]
) -> tuple[Cohort, JoinCode]:
    programme = await check_programme(db, library, viewer.tenant_id, scenario_ids)
    cohort = await repo.create_cohort(
        db, tenant_id=viewer.tenant_id, owner_key_id=viewer.key_id, name=name.strip(), scenarios=programme
    )
    code = await issue_code(db, cohort)
    await db.commit()
    return cohort, code


async def visible_cohort(db: AsyncSession, viewer: Viewer, cohort_id: int) -> Cohort:
    """The cohort if this viewer may see it; NotFound otherwise (whose it is stays unsaid)."""
    cohort = await repo.find_cohort(db, viewer.tenant_id, cohort_id)
    if cohort is None or (not viewer.sees_all and cohort.owner_key_id != viewer.key_id):
        raise NotFound(f"no cohort {cohort_id}")
    return cohort


async def tenant_cohort(db: AsyncSession, tenant_id: int, cohort_id: int) -> Cohort:
    cohort = await repo.find_cohort(db, tenant_id, cohort_id)
    if cohort is None:
        raise NotFound(f"no cohort {cohort_id}")
    return cohort


async def cohorts_of(db: AsyncSession, viewer: Viewer) -> list[Cohort]:
    return await repo.list_cohorts(db, viewer.tenant_id, None if viewer.sees_all else viewer.key_id)


async def live_code(db: AsyncSession, cohort: Cohort) -> JoinCode | None:
    assert cohort.id is not None
    return await repo.live_code(db, cohort.id)


async def remove_member(db: AsyncSession, cohort: Cohort, member_id: int) -> None:
    """Take a member out of ``cohort``; NotFound when there is no such member in it."""
    assert cohort.id is not None
    async with writing(db):
        if not await repo.remove_member(db, cohort.id, member_id):
            raise NotFound(f"cohort {cohort.id} has no member {member_id}")
        await db.commit()


async def revoke_code(db: AsyncSession, cohort: Cohort, code: str | None = None) -> None:
    """Revoke the live code (or the given one). Revoking a code that is not live is a NotFound."""
    assert cohort.id is not None
    revoked = await repo.revoke_codes(db, cohort.id, normalise_code(code) if code is not None else None)
    if code is not None and revoked == 0:
        raise NotFound(f"cohort {cohort.id} has no live join code {code!r}")
    await db.commit()


async def add_learner(
    db: AsyncSession,
    cohort: Cohort,
    external_id: str,
    display_name: str,
    *,
    actor: Actor | None,
    max_members: int = 0,
) -> CohortMember:
    """Put the tenant's learner (created when new) in the cohort; a second add changes nothing.

    ``actor`` is the key that adds them (None: they joined with the code). A facilitator may add
    only new learners or those of its own cohorts; an app key any learner of its tenant (who is
    then the app's to reach, ``trainer.access``). ``max_members`` (0: no cap) bounds the cohort.
    """
    assert cohort.id is not None
    if actor is not None and actor.role is Role.facilitator:
        await reachable_learner(db, actor, external_id, Need.aggregates)
    await db.commit()  # end the read before the write gate
    async with writing(db):  # a room joining at once: one writer at a time on SQLite
        learner = await get_or_create_learner(db, cohort.tenant_id, external_id, creator=created_by(actor))
        assert learner.id is not None
        member = await repo.find_member(db, cohort.id, learner.id)
        if member is None:
            if max_members > 0 and await repo.count_members(db, cohort.id) >= max_members:
                await db.rollback()
                raise CohortFull(
                    f"This workshop is full ({max_members} people). Ask your facilitator to open another one."
                )
            role, key_id = created_by(actor)
            member = await repo.add_member(
                db,
                cohort_id=cohort.id,
                learner_id=learner.id,
                display_name=display_name.strip(),
                joined_via="web" if actor is None else "api",
                added_by_role=None if actor is None else role,
                added_by_key_id=key_id,
            )
        await db.commit()
    return member


async def shown_name(db: AsyncSession, member: CohortMember) -> str:
    """The member's name as the board shows it (numbered when another member has the same name)."""
    assert member.id is not None
    return shown_names(await repo.member_names(db, member.cohort_id))[member.id]


async def join_with_code(
    db: AsyncSession, typed_code: str, display_name: str, *, max_members: int = 0
) -> tuple[Cohort, CohortMember]:
    """A new member (and web learner) of the cohort this code opens."""
    code = await repo.find_code(db, normalise_code(typed_code))
    if code is None:
        raise JoinRefused("That join code is not right. Check it with your facilitator and try again.")
    if code.revoked_at is not None:
        raise JoinRefused("That join code has been closed. Ask your facilitator for the current code.")
    cohort = await db.get(Cohort, code.cohort_id)
    assert cohort is not None
    external_id = f"web-{secrets.token_hex(8)}"
    member = await add_learner(db, cohort, external_id, display_name, actor=None, max_members=max_members)
    return cohort, member


async def latest_session_id(db: AsyncSession, cohort: Cohort, member: CohortMember) -> str | None:
    """The member's latest session counted for the cohort (on the programme, since joining)."""
    sessions = await repo.sessions_of_learners(db, cohort.tenant_id, [member.learner_id], cohort.scenarios)
    joined = as_utc(member.created_at)
    counted = [s for s in sessions if as_utc(s.created_at) >= joined]
    return counted[-1].id if counted else None


class MemberProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: int
    display_name: str
    shown_as: str = Field(
        description="The name the board shows: the display name, numbered when another learner of "
        'the cohort has the same one ("Noor (2)")'
    )
    learner_id: str = Field(description="The learner id (the app's own, or web-... for the practice page)")
    sessions_started: int
    sessions_completed: int
    state: LearnerState = Field(
        description="needs_attention (the safety screen paused their session), not_started, practising, "
        "stuck, withdrawn (the partner withdrew), ended (the learner ended the conversation) or done "
        "(the partner felt understood)"
    )
    needs_attention: bool = Field(
        default=False,
        description="The safety screen paused one of their sessions and it has not been resumed; what they "
        "wrote is shown only if they share transcripts",
    )
    scenario_id: str | None = Field(description="The scenario of the latest session")
    safety: int | None = Field(description="The partner's safety in the latest session, 0..100")
    turns: int = Field(description="Replies in the latest session")
    averages: dict[RubricName, float] = Field(
        description=f"Mean score per rubric, last {RECENT_TURNS} replies"
    )
    shares_transcript: bool
    last_active: UtcDatetime | None


class RoomSkill(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rubric: RubricName
    mean: float | None = Field(description="The room's mean of the learners' recent averages")
    learners: int = Field(description="Learners with at least one scored reply")
    low: int = Field(description="Learners averaging under 1.5")
    high: int = Field(description="Learners averaging 2.5 or more")


class RoomCounts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    joined: int
    waiting: int = Field(description="Joined, no conversation started yet")
    practising: int
    done: int = Field(description="Latest conversation finished: the partner felt understood, or ended")
    need_a_hand: int = Field(description="Stuck, the partner withdrew, or the safety screen paused them")

    @classmethod
    def of(cls, states: list[LearnerState]) -> RoomCounts:
        groups = [ROOM_GROUP[state] for state in states]
        return cls(joined=len(states), **{group.value: groups.count(group) for group in RoomGroup})


class CohortProgress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cohort_id: int
    name: str
    scenarios: list[str]
    counts: RoomCounts
    learners: list[MemberProgress]
    room: list[RoomSkill]


def state_of(latest: PracticeSession | None, stages: list[str]) -> LearnerState:
    """Where a learner stands, from their latest session and its partner stage after each reply."""
    if latest is None:
        return LearnerState.not_started
    if latest.status == SessionStatus.paused:
        return LearnerState.needs_attention
    if latest.status == SessionStatus.completed:
        return LearnerState.done
    if latest.status == SessionStatus.withdrawn:
        return LearnerState.withdrawn
    if latest.ended_at is not None:
        return LearnerState.ended
    stage = latest.state.get("stage")
    safety = int(latest.state.get("safety", 100))
    recent = stages[-STUCK_TURNS:]
    stalled = len(recent) == STUCK_TURNS and len(set(recent)) == 1
    if stage == Stage.withdrawn or safety <= STUCK_SAFETY or stalled:
        return LearnerState.stuck
    return LearnerState.practising


def _recent_averages(scores: list[dict[str, Any]]) -> dict[RubricName, float]:
    recent = scores[-RECENT_TURNS:]
    averages: dict[RubricName, float] = {}
    for name in RubricName:
        values = [int(r[name.value]["score"]) for r in recent if name.value in r]
        if values:
            averages[name] = round(fmean(values), 2)
    return averages


def _room(learners: list[MemberProgress]) -> list[RoomSkill]:
    skills = []
    for name in RubricName:
        values = [p.averages[name] for p in learners if name in p.averages]
        skills.append(
            RoomSkill(
                rubric=name,
                mean=round(fmean(values), 2) if values else None,
                learners=len(values),
                low=sum(1 for v in values if v < 1.5),
                high=sum(1 for v in values if v >= 2.5),
            )
        )
    return skills


async def progress(db: AsyncSession, cohort: Cohort) -> CohortProgress:
    assert cohort.id is not None
    members = await repo.members_with_learners(db, cohort.id)
    sessions = await repo.sessions_of_learners(
        db,
        cohort.tenant_id,
        [learner.id for _, learner in members if learner.id is not None],
        cohort.scenarios,
    )
    joined: dict[int, datetime] = {m.learner_id: as_utc(m.created_at) for m, _ in members}
    by_learner: dict[int, list[PracticeSession]] = defaultdict(list)
    for session in sessions:
        if as_utc(session.created_at) >= joined[session.learner_id]:
            by_learner[session.learner_id].append(session)
    counted = [s.id for owned in by_learner.values() for s in owned]
    scores: dict[str, list[dict[str, Any]]] = defaultdict(list)
    stages: dict[str, list[str]] = defaultdict(list)
    for session_id, rubrics, state_after in await repo.turn_scores(db, counted):
        scores[session_id].append(rubrics)
        stages[session_id].append(str(state_after.get("stage")))
    names = shown_names((m.id, m.display_name) for m, _ in members if m.id is not None)
    learners: list[MemberProgress] = []
    for member, learner in members:
        assert member.id is not None
        owned = by_learner.get(member.learner_id, [])
        latest = owned[-1] if owned else None
        learners.append(
            MemberProgress(
                member_id=member.id,
                display_name=member.display_name,
                shown_as=names[member.id],
                learner_id=learner.external_id,
                sessions_started=len(owned),
                sessions_completed=sum(1 for s in owned if s.status == SessionStatus.completed),
                state=state_of(latest, stages[latest.id] if latest else []),
                scenario_id=latest.scenario_id if latest else None,
                safety=int(latest.state["safety"]) if latest else None,
                turns=latest.turn_count if latest else 0,
                averages=_recent_averages([r for s in owned for r in scores[s.id]]),
                shares_transcript=member.share_transcript,
                last_active=latest.updated_at if latest else None,
                needs_attention=any(s.status == SessionStatus.paused for s in owned),
            )
        )
    return CohortProgress(
        cohort_id=cohort.id,
        name=cohort.name,
        scenarios=cohort.scenarios,
        counts=RoomCounts.of([p.state for p in learners]),
        learners=learners,
        room=_room(learners),
    )
