"""access follows relations: who created each learner, who added each cohort member

Revision ID: 0007_access_relations
Revises: 0006_turn_model_usage
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_access_relations"
down_revision: str | None = "0006_turn_model_usage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("learners") as batch:
        batch.add_column(
            sa.Column("created_by_role", sa.String(length=20), nullable=False, server_default="app")
        )
        batch.add_column(sa.Column("created_by_key_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_learners_created_by_key_id_api_keys"),
            "api_keys",
            ["created_by_key_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("cohort_members") as batch:
        batch.add_column(sa.Column("added_by_role", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("added_by_key_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_cohort_members_added_by_key_id_api_keys"),
            "api_keys",
            ["added_by_key_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Before this revision: a learner who joined with a code came from the practice page, and a
    # member added through the API was added by the app backend (what that route was for).
    op.execute(
        "UPDATE learners SET created_by_role = 'web' WHERE id IN "
        "(SELECT learner_id FROM cohort_members WHERE joined_via = 'web')"
    )
    op.execute("UPDATE cohort_members SET added_by_role = 'app' WHERE joined_via = 'api'")


def downgrade() -> None:
    with op.batch_alter_table("cohort_members") as batch:
        batch.drop_constraint(op.f("fk_cohort_members_added_by_key_id_api_keys"), type_="foreignkey")
        batch.drop_column("added_by_key_id")
        batch.drop_column("added_by_role")
    with op.batch_alter_table("learners") as batch:
        batch.drop_constraint(op.f("fk_learners_created_by_key_id_api_keys"), type_="foreignkey")
        batch.drop_column("created_by_key_id")
        batch.drop_column("created_by_role")
