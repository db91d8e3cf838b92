"""Medical records with immutable versions, signed prescriptions and their signing keys.

Revision ID: clinical_1001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "clinical_1001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("clinical_records",)
# The people (clinical_0001) and scheduling (clinical_0002, the appointment table) revisions.
depends_on: str | Sequence[str] | None = "clinical_0002"

_REFUSE = """
CREATE FUNCTION clinical_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: clinical history is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$
"""

_PRESCRIPTION_GUARD = """
CREATE FUNCTION prescription_revoke_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    revocation text[] := ARRAY['revoked_at', 'revoked_by', 'revocation_reason'];
BEGIN
    IF OLD.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'prescription % is revoked and cannot change', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.revoked_at IS NULL
        OR (to_jsonb(NEW) - revocation) IS DISTINCT FROM (to_jsonb(OLD) - revocation) THEN
        RAISE EXCEPTION 'prescription % cannot be edited, only revoked', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$
"""


def _append_only(table: str, *, updates: bool) -> None:
    events = "UPDATE OR DELETE" if updates else "DELETE"
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE {events} ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION clinical_refuse_change()"
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION clinical_refuse_change()"
    )


def upgrade() -> None:
    op.execute(_REFUSE)
    op.execute(_PRESCRIPTION_GUARD)

    op.create_table(
        "medical_record",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "patient_id",
            sa.Uuid(),
            sa.ForeignKey("patient.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column(
            "appointment_id",
            sa.Uuid(),
            sa.ForeignKey("appointment.id", ondelete="RESTRICT"),
            nullable=True,
            unique=True,
        ),
        sa.Column("encounter_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", postgresql.JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_index(
        "ix_medical_record_patient", "medical_record", ["patient_id", "encounter_at", "id"]
    )
    _append_only("medical_record", updates=False)

    op.create_table(
        "medical_record_version",
        sa.Column(
            "record_id",
            sa.Uuid(),
            sa.ForeignKey("medical_record.id", ondelete="RESTRICT"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("encounter_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", postgresql.JSONB(), nullable=False),
        sa.Column("changed_fields", postgresql.JSONB(), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("changed_by_role", sa.String(20), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=True),
    )
    op.create_index(
        "ix_medical_record_version_patient_id", "medical_record_version", ["patient_id"]
    )
    _append_only("medical_record_version", updates=True)

    op.create_table(
        "prescription_signing_key",
        sa.Column("kid", sa.String(100), primary_key=True),
        sa.Column("public_jwk", postgresql.JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    _append_only("prescription_signing_key", updates=True)

    op.create_table(
        "prescription",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "patient_id",
            sa.Uuid(),
            sa.ForeignKey("patient.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column(
            "doctor_id", sa.Uuid(), sa.ForeignKey("doctor.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("medication", sa.String(200), nullable=False),
        sa.Column("dose", sa.String(100), nullable=False),
        sa.Column("route", sa.String(20), nullable=False),
        sa.Column("frequency", sa.String(100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("refills", sa.Integer(), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("jws", sa.Text(), nullable=False),
        sa.Column(
            "key_id",
            sa.String(100),
            sa.ForeignKey("prescription_signing_key.kid"),
            nullable=False,
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(200), nullable=True),
        sa.Column("revocation_reason", sa.String(1000), nullable=True),
        sa.CheckConstraint("quantity > 0", name="ck_prescription_quantity"),
        sa.CheckConstraint("refills >= 0", name="ck_prescription_refills"),
    )
    op.create_index("ix_prescription_patient", "prescription", ["patient_id", "issued_at", "id"])
    op.execute(
        "CREATE TRIGGER prescription_revoke_only BEFORE UPDATE ON prescription "
        "FOR EACH ROW EXECUTE FUNCTION prescription_revoke_only()"
    )
    _append_only("prescription", updates=False)


def downgrade() -> None:
    op.drop_table("prescription")
    op.drop_table("prescription_signing_key")
    op.drop_table("medical_record_version")
    op.drop_table("medical_record")
    op.execute("DROP FUNCTION prescription_revoke_only()")
    op.execute("DROP FUNCTION clinical_refuse_change()")
