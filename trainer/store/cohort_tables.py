"""Workshop tables: cohorts, their join codes and members, and the web passes (cookie tokens).

A cohort belongs to a tenant and to the facilitator key that created it. A member is a learner of
that tenant (created by the practice page, or added by the app backend) with a display name. Web
passes are stored only as the sha256 digest of their token, like API keys.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

from trainer.store.tables import utcnow


def _timestamp() -> Any:
    return Field(default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False))


def _optional_timestamp() -> Any:
    return Field(default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True))


def _foreign_key(target: str, *, nullable: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_column=Column(sa.ForeignKey(target, ondelete="CASCADE"), nullable=nullable),
    )


class PassKind(StrEnum):
    learner = "learner"
    facilitator = "facilitator"


class Cohort(SQLModel, table=True):
    __tablename__ = "cohorts"
    __table_args__ = (sa.Index("ix_cohorts_tenant_owner", "tenant_id", "owner_key_id"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = _foreign_key("tenants.id")
    owner_key_id: int = _foreign_key("api_keys.id")
    name: str = Field(max_length=100)
    scenarios: list[str] = Field(sa_column=Column(sa.JSON(), nullable=False))
    created_at: datetime = _timestamp()


class JoinCode(SQLModel, table=True):
    """A short code learners type to join; revoked codes stay (their dates tell what happened)."""

    __tablename__ = "cohort_join_codes"

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = _foreign_key("cohorts.id")
    code: str = Field(max_length=16, unique=True)
    created_at: datetime = _timestamp()
    revoked_at: datetime | None = _optional_timestamp()


class CohortMember(SQLModel, table=True):
    __tablename__ = "cohort_members"
    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "learner_id", name="uq_cohort_members_cohort_learner"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = _foreign_key("cohorts.id")
    learner_id: int = _foreign_key("learners.id")
    display_name: str = Field(max_length=60)
    share_transcript: bool = False
    joined_via: str = Field(max_length=10, description="web (the practice page) or api (the app backend)")
    created_at: datetime = _timestamp()
    # Which key put the learner in the cohort (None: they joined with the code): an app key that
    # adds a learner makes that learner the app's to reach (``trainer.access``).
    added_by_role: str | None = Field(default=None, sa_column=Column(sa.String(20), nullable=True))
    added_by_key_id: int | None = Field(
        default=None,
        sa_column=Column(sa.ForeignKey("api_keys.id", ondelete="SET NULL"), nullable=True),
    )


class WebPass(SQLModel, table=True):
    """A short-lived cookie token: a learner's (scoped to a cohort member) or a facilitator's (a key)."""

    __tablename__ = "web_passes"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=20)
    member_id: int | None = _foreign_key("cohort_members.id", nullable=True)
    api_key_id: int | None = _foreign_key("api_keys.id", nullable=True)
    created_at: datetime = _timestamp()
    expires_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), nullable=False))
