"""turns: the partner's prompt hash, cached input tokens, judge-rules disagreements

Revision ID: 0006_turn_model_usage
Revises: 0003_session_ended_at
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_turn_model_usage"
down_revision: str | None = "0003_session_ended_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.add_column(sa.Column("partner_prompt_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("cached_input_tokens", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("disagreement", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("turns") as batch:
        batch.drop_column("disagreement")
        batch.drop_column("cached_input_tokens")
        batch.drop_column("partner_prompt_hash")
