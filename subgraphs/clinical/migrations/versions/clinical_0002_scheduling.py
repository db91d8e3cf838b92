"""Doctors' schedules and appointments; btree_gist exclusion constraints make double booking impossible.

Revision ID: clinical_0002
Revises: clinical_0001
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "clinical_0002"
down_revision: str | Sequence[str] | None = "clinical_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "('BOOKED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'NO_SHOW')"
ACTIVE = "status IN ('BOOKED', 'CHECKED_IN')"


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.create_table(
        "doctor_schedule",
        sa.Column("doctor_id", sa.Uuid(), sa.ForeignKey("doctor.id"), primary_key=True),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("appointment_minutes", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.CheckConstraint(
            "appointment_minutes BETWEEN 5 AND 480", name="ck_doctor_schedule_minutes"
        ),
    )
    op.create_table(
        "working_hours",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("doctor_id", sa.Uuid(), sa.ForeignKey("doctor.id"), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 1 AND 7", name="ck_working_hours_weekday"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_working_hours_order"),
    )
    op.create_index("ix_working_hours_doctor_id", "working_hours", ["doctor_id"])
    op.create_table(
        "schedule_exception",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("doctor_id", sa.Uuid(), sa.ForeignKey("doctor.id"), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=True),
        sa.Column("ends_at", sa.Time(), nullable=True),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.CheckConstraint(
            "kind IN ('UNAVAILABLE', 'EXTRA_HOURS')", name="ck_schedule_exception_kind"
        ),
        sa.CheckConstraint(
            "(starts_at IS NULL AND ends_at IS NULL AND kind = 'UNAVAILABLE')"
            " OR (starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at > starts_at)",
            name="ck_schedule_exception_times",
        ),
    )
    op.create_index(
        "ix_schedule_exception_doctor_date", "schedule_exception", ["doctor_id", "on_date"]
    )
    op.create_table(
        "appointment",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("patient_id", sa.Uuid(), sa.ForeignKey("patient.id"), nullable=False),
        sa.Column("doctor_id", sa.Uuid(), sa.ForeignKey("doctor.id"), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("overbooked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("cancellation_reason", sa.String(500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.CheckConstraint(f"status IN {STATUSES}", name="ck_appointment_status"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_appointment_order"),
    )
    # The database itself forbids overlaps, across processes and replicas: a doctor's active,
    # non-overbooked appointments never overlap, and neither do a patient's active appointments.
    op.execute(
        "ALTER TABLE appointment ADD CONSTRAINT ex_appointment_doctor_overlap"
        " EXCLUDE USING gist (doctor_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)"
        f" WHERE ({ACTIVE} AND NOT overbooked)"
    )
    op.execute(
        "ALTER TABLE appointment ADD CONSTRAINT ex_appointment_patient_overlap"
        " EXCLUDE USING gist (patient_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)"
        f" WHERE ({ACTIVE})"
    )
    op.create_index("ix_appointment_doctor_start", "appointment", ["doctor_id", "starts_at"])
    op.create_index("ix_appointment_patient_start", "appointment", ["patient_id", "starts_at"])
    op.create_index("ix_appointment_start_id", "appointment", ["starts_at", "id"])
    op.create_table(
        "appointment_status_change",
        sa.Column("position", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column(
            "appointment_id", sa.Uuid(), sa.ForeignKey("appointment.id"), nullable=False
        ),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("previous_starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("previous_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overbooked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_appointment_status_change_appointment_id",
        "appointment_status_change",
        ["appointment_id", "position"],
    )


def downgrade() -> None:
    op.drop_table("appointment_status_change")
    op.drop_table("appointment")
    op.drop_table("schedule_exception")
    op.drop_table("working_hours")
    op.drop_table("doctor_schedule")
