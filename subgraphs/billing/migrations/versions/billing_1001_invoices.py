"""Invoices and credit notes, their lines, and the gap-free number counters.

Revision ID: billing_1001
Revises:
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "billing_1001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("billing_invoices",)
# The accounts revision (billing_0001): every invoice belongs to an account.
depends_on: str | Sequence[str] | None = "billing_0001"

STATUSES = "('DRAFT', 'ISSUED', 'PARTIALLY_PAID', 'PAID', 'VOID')"
KINDS = "('INVOICE', 'CREDIT_NOTE')"

# Lines change only while their invoice is a draft: an issued invoice is corrected by credit notes.
_LINES_OF_DRAFTS = """
CREATE FUNCTION invoice_line_draft_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.invoice_id ELSE NEW.invoice_id END;
    state text;
BEGIN
    SELECT status INTO state FROM invoice WHERE id = parent;
    IF state IS DISTINCT FROM 'DRAFT' THEN
        RAISE EXCEPTION 'invoice % is % and its lines cannot change', parent, state
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$
"""

# Once issued, what was billed stays as billed; only payment, credit and void fields move.
_ISSUED_IMMUTABLE = """
CREATE FUNCTION invoice_issued_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'DRAFT' AND (
        NEW.number, NEW.currency, NEW.account_id, NEW.patient_id, NEW.kind,
        NEW.subtotal_minor, NEW.discount_minor, NEW.tax_minor, NEW.total_minor,
        NEW.issued_at, NEW.credited_invoice_id
    ) IS DISTINCT FROM (
        OLD.number, OLD.currency, OLD.account_id, OLD.patient_id, OLD.kind,
        OLD.subtotal_minor, OLD.discount_minor, OLD.tax_minor, OLD.total_minor,
        OLD.issued_at, OLD.credited_invoice_id
    ) THEN
        RAISE EXCEPTION 'invoice % is issued and immutable', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status = 'VOID' AND NEW.status <> 'VOID' THEN
        RAISE EXCEPTION 'invoice % is void', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "invoice",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("account_id", sa.Uuid(), sa.ForeignKey("billing_account.id"), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("number", sa.String(40), nullable=True, unique=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("credited_invoice_id", sa.Uuid(), sa.ForeignKey("invoice.id"), nullable=True),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("subtotal_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("total_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("paid_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("credited_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.String(500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.CheckConstraint(f"status IN {STATUSES}", name="ck_invoice_status"),
        sa.CheckConstraint(f"kind IN {KINDS}", name="ck_invoice_kind"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="ck_invoice_currency"),
        sa.CheckConstraint(
            "(status = 'DRAFT') = (number IS NULL) OR status = 'VOID'", name="ck_invoice_number"
        ),
        sa.CheckConstraint(
            "(kind = 'CREDIT_NOTE') = (credited_invoice_id IS NOT NULL)",
            name="ck_invoice_credit_note",
        ),
        sa.CheckConstraint(
            "subtotal_minor >= 0 AND discount_minor >= 0 AND tax_minor >= 0 AND total_minor >= 0"
            " AND paid_minor >= 0 AND credited_minor >= 0",
            name="ck_invoice_amounts",
        ),
    )
    op.create_index("ix_invoice_account_id", "invoice", ["account_id"])
    op.create_index("ix_invoice_patient_id", "invoice", ["patient_id", "created_at"])
    op.create_index("ix_invoice_credited_invoice_id", "invoice", ["credited_invoice_id"])
    # At most one open draft invoice per account: completed appointments gather on it.
    op.create_index(
        "ux_invoice_open_draft",
        "invoice",
        ["account_id"],
        unique=True,
        postgresql_where=sa.text("status = 'DRAFT' AND kind = 'INVOICE'"),
    )
    op.create_table(
        "invoice_line",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "invoice_id", sa.Uuid(), sa.ForeignKey("invoice.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("service_code", sa.String(40), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("appointment_id", sa.Uuid(), nullable=True, unique=True),
        sa.Column("doctor_id", sa.Uuid(), nullable=True),
        sa.Column("doctor_user_id", sa.Uuid(), nullable=True),
        sa.Column("performed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source_event_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("invoice_id", "position", name="uq_invoice_line_position"),
        sa.CheckConstraint("quantity > 0", name="ck_invoice_line_quantity"),
        sa.CheckConstraint(
            "unit_price_minor >= 0 AND discount_minor >= 0 AND net_minor >= 0"
            " AND tax_rate_bp BETWEEN 0 AND 10000"
            " AND net_minor = quantity * unit_price_minor - discount_minor"
            " AND total_minor = net_minor + tax_minor",
            name="ck_invoice_line_amounts",
        ),
    )
    op.create_index("ix_invoice_line_invoice_id", "invoice_line", ["invoice_id"])
    op.create_index("ix_invoice_line_doctor_user_id", "invoice_line", ["doctor_user_id"])
    op.create_table(
        "invoice_counter",
        sa.Column("series", sa.String(10), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    op.execute(_LINES_OF_DRAFTS)
    op.execute(
        "CREATE TRIGGER invoice_line_draft_only BEFORE INSERT OR UPDATE OR DELETE ON invoice_line "
        "FOR EACH ROW EXECUTE FUNCTION invoice_line_draft_only()"
    )
    op.execute(_ISSUED_IMMUTABLE)
    op.execute(
        "CREATE TRIGGER invoice_issued_immutable BEFORE UPDATE ON invoice "
        "FOR EACH ROW EXECUTE FUNCTION invoice_issued_immutable()"
    )


def downgrade() -> None:
    op.drop_table("invoice_counter")
    op.drop_table("invoice_line")
    op.drop_table("invoice")
    op.execute("DROP FUNCTION invoice_issued_immutable()")
    op.execute("DROP FUNCTION invoice_line_draft_only()")
