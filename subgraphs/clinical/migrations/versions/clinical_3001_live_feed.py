"""The live feed's event log: subscription positions and ``since`` replay that outlive the broker.

Revision ID: clinical_3001
Revises:
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "clinical_3001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("clinical_live",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "live_feed_event",
        sa.Column(
            "position", sa.BigInteger(), sa.Identity(always=True), primary_key=True, nullable=False
        ),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("envelope", postgresql.JSONB(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index(
        "ix_live_feed_event_topic_position", "live_feed_event", ["topic", "position"]
    )


def downgrade() -> None:
    op.drop_table("live_feed_event")
