"""workshops: cohorts, join codes, members, web passes

Revision ID: 0002_cohorts
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_cohorts"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, target: str, table: str) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{referred}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("owner_key_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("scenarios", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("tenant_id", "tenants.id", "cohorts"),
        _fk("owner_key_id", "api_keys.id", "cohorts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
    )
    op.create_index("ix_cohorts_tenant_owner", "cohorts", ["tenant_id", "owner_key_id"])
    op.create_table(
        "cohort_join_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        _fk("cohort_id", "cohorts.id", "cohort_join_codes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_join_codes")),
        sa.UniqueConstraint("code", name=op.f("uq_cohort_join_codes_code")),
    )
    op.create_table(
        "cohort_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("share_transcript", sa.Boolean(), nullable=False),
        sa.Column("joined_via", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("cohort_id", "cohorts.id", "cohort_members"),
        _fk("learner_id", "learners.id", "cohort_members"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_members")),
        sa.UniqueConstraint("cohort_id", "learner_id", name="uq_cohort_members_cohort_learner"),
    )
    op.create_table(
        "web_passes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("api_key_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        _fk("member_id", "cohort_members.id", "web_passes"),
        _fk("api_key_id", "api_keys.id", "web_passes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_passes")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_passes_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("web_passes")
    op.drop_table("cohort_members")
    op.drop_table("cohort_join_codes")
    op.drop_index("ix_cohorts_tenant_owner", table_name="cohorts")
    op.drop_table("cohorts")
