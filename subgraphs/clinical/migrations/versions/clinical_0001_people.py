"""Clinical people (patients, doctors, medical staff) and the access tables (care team, break-glass).

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


def downgrade() -> None:
    op.drop_table("break_glass_grant")
    op.drop_table("care_relationship")
    op.drop_table("medical_staff")
    op.drop_table("doctor")
    op.drop_table("patient")
    op.execute("DROP SEQUENCE patient_mrn_seq")
