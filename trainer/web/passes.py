"""Web passes: the short-lived cookie tokens of the practice page and the facilitator board.

A pass token is 256 random bits, handed out once in an HttpOnly, SameSite=Strict cookie and stored
only as its sha256 digest. A learner's pass is scoped to one cohort member; a facilitator's stands
for the API key they signed in with, and dies with it. Both expire after
``settings.web_token_minutes``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from litestar import Request, Response
from litestar.di import NamedDependency
from sqlmodel.ext.asyncio.session import AsyncSession

from trainer.cohorts import store as repo
from trainer.cohorts.service import Viewer
from trainer.settings import Settings
from trainer.store.cohort_tables import Cohort, CohortMember, PassKind
from trainer.store.db import writing
from trainer.store.keys import hash_token
from trainer.store.tables import ApiKey, Learner, Role, utcnow
from trainer.vocabulary.errors import AuthError
from trainer.vocabulary.times import as_utc

LEARNER_COOKIE = "trainer_practice"
LEARNER_COOKIE_PATH = "/practice"
FACILITATOR_COOKIE = "trainer_workshop"
FACILITATOR_COOKIE_PATH = "/workshop"

NOT_JOINED = "You have not joined a workshop yet. Join with the code your facilitator gives you."
LEARNER_EXPIRED = "Your practice pass has expired. Join again with the code your facilitator gives you."
LEARNER_UNKNOWN = "Your practice pass is no longer valid. Join again with the code from your facilitator."
NOT_SIGNED_IN = "Sign in with your facilitator key."
FACILITATOR_EXPIRED = "Your sign-in has expired. Sign in again with your facilitator key."
FACILITATOR_UNKNOWN = "Your sign-in is no longer valid. Sign in again with your facilitator key."


class PassExpired(AuthError):
    title = "Pass expired"


@dataclass(frozen=True)
class LearnerPass:
    """A joined learner: their membership, cohort and learner id (for the session service)."""

    member: CohortMember
    cohort: Cohort
    learner_id: str

    @property
    def tenant_id(self) -> int:
        return self.cohort.tenant_id


async def _issue(db: AsyncSession, settings: Settings, kind: PassKind, **owner: Any) -> str:
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(minutes=settings.web_token_minutes)
    async with writing(db):
        await repo.delete_expired_passes(db, utcnow())
        await repo.add_pass(db, token_hash=hash_token(token), kind=kind.value, expires_at=expires_at, **owner)
        await db.commit()
    return token


async def issue_learner_pass(db: AsyncSession, settings: Settings, member: CohortMember) -> str:
    return await _issue(db, settings, PassKind.learner, member_id=member.id)


async def issue_facilitator_pass(db: AsyncSession, settings: Settings, key: ApiKey) -> str:
    return await _issue(db, settings, PassKind.facilitator, api_key_id=key.id)


async def end_pass(db: AsyncSession, token: str | None) -> None:
    if token:
        await repo.delete_pass(db, hash_token(token))
        await db.commit()


async def learner_pass(db: AsyncSession, token: str | None) -> LearnerPass:
    """The learner this cookie token stands for; AuthError (with what to do) when it cannot be used."""
    if not token:
        raise AuthError(NOT_JOINED)
    found = await repo.find_pass(db, hash_token(token))
    if found is None or found.kind != PassKind.learner or found.member_id is None:
        raise AuthError(LEARNER_UNKNOWN)
    if as_utc(found.expires_at) <= utcnow():
        raise PassExpired(LEARNER_EXPIRED)
    member = await repo.get_member(db, found.member_id)
    cohort = await db.get(Cohort, member.cohort_id) if member is not None else None
    learner = await db.get(Learner, member.learner_id) if member is not None else None
    if member is None or cohort is None or learner is None:
        raise AuthError(LEARNER_UNKNOWN)
    return LearnerPass(member=member, cohort=cohort, learner_id=learner.external_id)


async def facilitator_pass(db: AsyncSession, token: str | None) -> Viewer:
    """The facilitator (as a cohort Viewer) this cookie token stands for, if the key is still live."""
    if not token:
        raise AuthError(NOT_SIGNED_IN)
    found = await repo.find_pass(db, hash_token(token))
    if found is None or found.kind != PassKind.facilitator or found.api_key_id is None:
        raise AuthError(FACILITATOR_UNKNOWN)
    if as_utc(found.expires_at) <= utcnow():
        raise PassExpired(FACILITATOR_EXPIRED)
    key = await db.get(ApiKey, found.api_key_id)
    if key is None or key.id is None or key.revoked_at is not None:
        raise AuthError(FACILITATOR_UNKNOWN)
    return Viewer(tenant_id=key.tenant_id, key_id=key.id, sees_all=key.role == Role.admin)


def set_pass_cookie(response: Response[Any], settings: Settings, name: str, path: str, token: str) -> None:
    response.set_cookie(
        name,
        token,
        max_age=settings.web_token_minutes * 60,
        path=path,
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )


def clear_pass_cookie(response: Response[Any], settings: Settings, name: str, path: str) -> None:
    response.set_cookie(
        name, "", max_age=0, path=path, secure=settings.cookie_secure, httponly=True, samesite="strict"
    )


def cookie_of(request: Request[Any, Any, Any], name: str) -> str | None:
    return request.cookies.get(name) or None


async def provide_learner_pass(
    request: Request[Any, Any, Any], db: NamedDependency[AsyncSession]
) -> LearnerPass:
    """Dependency for the practice page's JSON endpoints."""
    return await learner_pass(db, cookie_of(request, LEARNER_COOKIE))


async def provide_viewer(request: Request[Any, Any, Any], db: NamedDependency[AsyncSession]) -> Viewer:
    """Dependency for the facilitator board's JSON endpoints."""
    return await facilitator_pass(db, cookie_of(request, FACILITATOR_COOKIE))
