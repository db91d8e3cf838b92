"""The analytics store: daily counters and doctors' weekly hours, derived from the event stream.

Revision ID: clinical_4001
Revises:
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "clinical_4001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("clinical_analytics",)
# processed_event (exactly once per event id) comes with the kernel's revision.
depends_on: str | Sequence[str] | None = ("common_0001",)


def upgrade() -> None:
    op.create_table(
        "analytics_counter",
        sa.Column("day", sa.Date(), primary_key=True, nullable=False),
        sa.Column("metric", sa.String(40), primary_key=True, nullable=False),
        sa.Column("dimension", sa.String(64), primary_key=True, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "analytics_doctor_hours",
        sa.Column("doctor_id", sa.Uuid(), primary_key=True, nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("minutes_by_weekday", postgresql.JSONB(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("analytics_doctor_hours")
    op.drop_table("analytics_counter")
