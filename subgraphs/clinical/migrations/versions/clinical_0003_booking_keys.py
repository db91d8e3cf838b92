"""Idempotency keys of bookings: one per caller and key, naming the appointment it made.

Revision ID: clinical_0003
Revises: clinical_0002
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "clinical_0003"
down_revision: str | Sequence[str] | None = "clinical_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appointment_booking_key",
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_digest", sa.String(64), nullable=False),
        sa.Column(
            "appointment_id",
            sa.Uuid(),
            # Deferred: a booking claims its key before it inserts the appointment.
            sa.ForeignKey("appointment.id", deferrable=True, initially="DEFERRED"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("actor", "key", name="pk_appointment_booking_key"),
    )


def downgrade() -> None:
    op.drop_table("appointment_booking_key")
