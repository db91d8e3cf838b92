"""Clinical people, access, schedules and appointments.

Patients, doctors and medical staff; the access tables (care team, break-glass grants); doctors'
schedules; appointments, whose btree_gist exclusion constraints make double booking impossible.
One revision, so that branches depending on ``clinical_0001`` (records) can reference appointments.

Revision ID: clinical_0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "clinical_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("clinical",)
depends_on: str | Sequence[str] | None = None

SEXES = "('FEMALE', 'MALE', 'OTHER', 'UNKNOWN')"
STATUSES = "('BOOKED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'NO_SHOW')"
ACTIVE = "status IN ('BOOKED', 'CHECKED_IN')"
STAFF_ROLES = (
    "('NURSE', 'RECEPTIONIST', 'LAB_TECHNICIAN', 'PHARMACIST', 'RADIOGRAPHER', "
    "'MEDICAL_RECORDS_CLERK', 'PORTER')"
)


def _person_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("given_name", sa.String(100), nullable=False),
        sa.Column("family_name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True, unique=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_by", sa.String(200), nullable=True),
        sa.Column("archive_reason", sa.String(500), nullable=True),
    ]


def _person_indexes(table: str) -> None:
    # Keyset pagination order, and trigram indexes so name search by substring stays indexed.
    op.create_index(f"ix_{table}_name_order", table, ["family_name", "given_name", "id"])
    for column in ("given_name", "family_name"):
        op.create_index(
            f"ix_{table}_{column}_trgm",
            table,
            [sa.text(f"{column} gin_trgm_ops")],
            postgresql_using="gin",
        )


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE SEQUENCE patient_mrn_seq START WITH 1000001")
    op.create_table(
        "patient",
        *_person_columns(),
        sa.Column("mrn", sa.String(16), nullable=False, unique=True),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(10), nullable=False),
        sa.Column("address_line1", sa.String(200), nullable=True),
        sa.Column("address_line2", sa.String(200), nullable=True),
        sa.Column("city", sa.String(100), nullable=True),
        sa.Column("region", sa.String(100), nullable=True),
        sa.Column("postal_code", sa.String(20), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("emergency_contact_name", sa.String(200), nullable=True),
        sa.Column("emergency_contact_relationship", sa.String(50), nullable=True),
        sa.Column("emergency_contact_phone", sa.String(20), nullable=True),
        sa.Column("insurance_payer", sa.String(200), nullable=True),
        sa.Column("insurance_member_id", sa.String(64), nullable=True),
        sa.CheckConstraint(f"sex IN {SEXES}", name="ck_patient_sex"),
    )
    _person_indexes("patient")
    op.create_table(
        "doctor",
        *_person_columns(),
        sa.Column("specialty", sa.String(100), nullable=False),
        sa.Column("licence_number", sa.String(32), nullable=False, unique=True),
    )
    _person_indexes("doctor")
    op.create_table(
        "medical_staff",
        *_person_columns(),
        sa.Column("staff_role", sa.String(30), nullable=False),
        sa.Column("department", sa.String(100), nullable=False),
        sa.CheckConstraint(f"staff_role IN {STAFF_ROLES}", name="ck_medical_staff_role"),
    )
    _person_indexes("medical_staff")

    op.create_table(
        "care_relationship",
        sa.Column("doctor_id", sa.Uuid(), sa.ForeignKey("doctor.id"), primary_key=True),
        sa.Column("patient_id", sa.Uuid(), sa.ForeignKey("patient.id"), primary_key=True),
        sa.Column("source", sa.String(20), primary_key=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(200), nullable=True),
        sa.CheckConstraint(
            "source IN ('APPOINTMENT', 'ENCOUNTER', 'ASSIGNMENT')", name="ck_care_source"
        ),
    )
    op.create_index("ix_care_relationship_patient_id", "care_relationship", ["patient_id"])
    op.create_table(
        "break_glass_grant",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("patient_id", sa.Uuid(), sa.ForeignKey("patient.id"), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("expires_at > granted_at", name="ck_break_glass_expiry"),
        sa.CheckConstraint("length(btrim(reason)) > 0", name="ck_break_glass_reason"),
    )
    op.create_index(
        "ix_break_glass_grant_user_id", "break_glass_grant", ["user_id", "patient_id", "expires_at"]
    )

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
    op.drop_table("break_glass_grant")
    op.drop_table("care_relationship")
    op.drop_table("medical_staff")
    op.drop_table("doctor")
    op.drop_table("patient")
    op.execute("DROP SEQUENCE patient_mrn_seq")
