"""turns.screen and turns.partner_replaced: the safety screen's pause, and a replaced partner line

Revision ID: 0009_turn_screen
Revises: 0008_rewind
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_turn_screen"
down_revision: str | None = "0008_rewind"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("screen", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("partner_replaced", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("partner_replaced")
        batch.drop_column("screen")
