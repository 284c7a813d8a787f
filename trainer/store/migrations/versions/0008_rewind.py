"""Rewind: a session's attempts and starting state; each turn's attempt, position and superseded flag

Revision ID: 0008_rewind
Revises: 0007_access_relations
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_rewind"
down_revision: str | None = "0007_access_relations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("initial_state", sa.JSON(), nullable=True))
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("attempt", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("position", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("superseded", sa.Boolean(), nullable=False, server_default=sa.false()))
    # Before rewinds, every turn was the first attempt at its place in the conversation.
    op.execute('UPDATE turns SET position = "index"')


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("superseded")
        batch.drop_column("position")
        batch.drop_column("attempt")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("initial_state")
        batch.drop_column("attempts")
