"""The tables. One SQLModel class per table; the schema itself is owned by the Alembic migrations.

Every row belongs to a tenant, directly or through its session, so that a key can only ever reach
its own tenant's data. Sessions carry a ``version`` for optimistic concurrency: a turn is written
with ``UPDATE ... WHERE version = :seen`` and loses cleanly (``TurnConflict``) when another reply
won the race.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel

# Named constraints, so that migrations can refer to them on every database (SQLite batch mode needs it).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_session_id() -> str:
    """A random, URL-safe, unguessable session id."""
    return secrets.token_urlsafe(16)


def _timestamp() -> Any:
    return Field(default_factory=utcnow, sa_column=Column(sa.DateTime(timezone=True), nullable=False))


def _optional_timestamp() -> Any:
    return Field(default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True))


def _json() -> Any:
    return Field(sa_column=Column(sa.JSON(), nullable=False))


class Role(StrEnum):
    app = "app"
    facilitator = "facilitator"
    admin = "admin"


class Tenant(SQLModel, table=True):
    __tablename__ = "tenants"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    created_at: datetime = _timestamp()


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(sa_column=Column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False))
    name: str = Field(max_length=100)
    role: str = Field(max_length=20, default=Role.app.value)
    prefix: str = Field(max_length=32, unique=True)
    hash: str = Field(max_length=64, description="sha256 hex digest of the whole key")
    created_at: datetime = _timestamp()
    revoked_at: datetime | None = _optional_timestamp()


class Learner(SQLModel, table=True):
    __tablename__ = "learners"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "external_id", name="uq_learners_tenant_external"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(sa_column=Column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False))
    external_id: str = Field(max_length=200, description="The learner id the client passes")
    created_at: datetime = _timestamp()
    # Who brought the learner in: an app's key, a facilitator's or admin's key, or the practice page
    # ("web"). Access follows it (``trainer.access``): app keys reach the learners apps created.
    created_by_role: str = Field(
        default="app", sa_column=Column(sa.String(20), nullable=False, server_default="app")
    )
    created_by_key_id: int | None = Field(
        default=None,
        sa_column=Column(sa.ForeignKey("api_keys.id", ondelete="SET NULL"), nullable=True),
    )


class PracticeSession(SQLModel, table=True):
    """One practice conversation (the ``sessions`` table; not to be confused with a DB session)."""

    __tablename__ = "sessions"
    __table_args__ = (sa.Index("ix_sessions_tenant_learner", "tenant_id", "learner_id"),)

    id: str = Field(default_factory=new_session_id, primary_key=True, max_length=32)
    tenant_id: int = Field(sa_column=Column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False))
    learner_id: int = Field(
        sa_column=Column(sa.ForeignKey("learners.id", ondelete="CASCADE"), nullable=False)
    )
    scenario_id: str = Field(max_length=64)
    status: str = Field(max_length=20)
    state: dict[str, Any] = _json()
    version: int = 1
    turn_count: int = 0
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    # When the learner chose to stop (the practice page's "End"); the status stays as it was.
    ended_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True)
    )
    # Rewinds: the live attempt's number (1 until the first rewind) and the partner's state before
    # the first reply, which a rewind to turn 0 restores.
    attempts: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    initial_state: dict[str, Any] | None = Field(default=None, sa_column=Column(sa.JSON(), nullable=True))
    # The version of a tenant's own scenario the session started with (None: a built-in scenario);
    # every later turn, hint, rewind and report loads that version, even after a new one or retirement.
    scenario_version: int | None = None


class Turn(SQLModel, table=True):
    """One learner reply, its grade, the partner's answer, and how they were made."""

    __tablename__ = "turns"
    __table_args__ = (sa.UniqueConstraint("session_id", "index", name="uq_turns_session_index"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(
        sa_column=Column(sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False)
    )
    index: int
    reply: str
    behaviours: list[dict[str, Any]] = _json()
    rubrics: dict[str, Any] = _json()
    tip: str
    partner_text: str
    state_after: dict[str, Any] = _json()
    engine: str = Field(max_length=20)
    degraded: bool = False
    judge_model: str | None = Field(default=None, max_length=200)
    partner_model: str | None = Field(default=None, max_length=200)
    prompt_hash: str | None = Field(default=None, max_length=64)
    partner_prompt_hash: str | None = Field(default=None, max_length=64)
    input_tokens: int = 0
    cached_input_tokens: int = 0  # input tokens read from a provider's prompt cache
    output_tokens: int = 0
    # The rubrics where the model judge's own score and the rules score differ by two points or more:
    # {rubric: {"rules": n, "judge": n}}; None when they agree (or no model graded the turn).
    disagreement: dict[str, Any] | None = Field(default=None, sa_column=Column(sa.JSON(), nullable=True))
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    created_at: datetime = _timestamp()
    # Rewinds: the session's attempt the turn belongs to, its place in that attempt's conversation
    # (0 for the first reply), and whether a rewind took the conversation back before it.
    attempt: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    position: int | None = None
    superseded: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # The safety screen's object when it paused the role-play on this reply (no grade, no partner line).
    screen: dict[str, Any] | None = Field(default=None, sa_column=Column(sa.JSON(), nullable=True))
    # Why the model partner's line was replaced by the scripted one, when it was.
    partner_replaced: str | None = Field(default=None, max_length=20)


class IdempotencyKey(SQLModel, table=True):
    """A turn request seen before: the same key again returns ``response`` and creates nothing."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "key", name="uq_idempotency_tenant_key"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(sa_column=Column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False))
    key: str = Field(max_length=200)
    request_hash: str = Field(max_length=64)
    session_id: str = Field(
        sa_column=Column(sa.String(32), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False)
    )
    response: dict[str, Any] = _json()
    created_at: datetime = _timestamp()


class TenantScenario(SQLModel, table=True):
    """One version of a tenant's own scenario: the validated document, as the API accepted it.

    A new version is a new row (rows are never changed, so a session can always load the version it
    started with); retiring sets ``retired_at`` on every version of the id.
    """

    __tablename__ = "tenant_scenarios"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "scenario_id", "version", name="uq_tenant_scenarios_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(sa_column=Column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False))
    scenario_id: str = Field(max_length=64)
    version: int
    document: dict[str, Any] = _json()
    created_by_key_id: int | None = Field(
        default=None,
        sa_column=Column(sa.ForeignKey("api_keys.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = _timestamp()
    retired_at: datetime | None = _optional_timestamp()


metadata = SQLModel.metadata
