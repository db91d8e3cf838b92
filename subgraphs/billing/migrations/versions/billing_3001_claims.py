"""Insurance claims (anchored on an EVM chain) and their status changes.

Revision ID: billing_3001
Revises:
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "billing_3001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("billing_claims",)
# The invoices revision (billing_1001): every claim is for an invoice of an account.
depends_on: str | Sequence[str] | None = "billing_1001"

STATUSES = "('SUBMITTED', 'VALIDATED', 'APPROVED', 'DENIED', 'PAID')"
_HASH = "'^0x[0-9a-f]{64}$'"


def upgrade() -> None:
    op.create_table(
        "claim",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("invoice_id", sa.Uuid(), sa.ForeignKey("invoice.id"), nullable=False),
        sa.Column("account_id", sa.Uuid(), sa.ForeignKey("billing_account.id"), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("payer", sa.String(200), nullable=False),
        sa.Column("policy_number", sa.String(100), nullable=False),
        sa.Column("codes", postgresql.ARRAY(sa.String(20)), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("content_hash", sa.String(66), nullable=False, unique=True),
        sa.Column("anchor_tx_hash", sa.String(66), nullable=False),
        sa.Column("anchor_block", sa.BigInteger(), nullable=False),
        sa.Column("registry_address", sa.String(42), nullable=False),
        sa.Column("decision_note", sa.String(500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.CheckConstraint(f"status IN {STATUSES}", name="ck_claim_status"),
        sa.CheckConstraint("amount_minor > 0", name="ck_claim_amount"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="ck_claim_currency"),
        sa.CheckConstraint(f"content_hash ~ {_HASH}", name="ck_claim_content_hash"),
        sa.CheckConstraint(f"anchor_tx_hash ~ {_HASH}", name="ck_claim_anchor_tx_hash"),
        sa.CheckConstraint("cardinality(codes) BETWEEN 1 AND 25", name="ck_claim_codes"),
    )
    op.create_index("ix_claim_invoice_id", "claim", ["invoice_id"])
    op.create_index("ix_claim_patient_id", "claim", ["patient_id"])
    op.create_index("ix_claim_status", "claim", ["status", "submitted_at"])
    op.create_table(
        "claim_status_change",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column(
            "claim_id", sa.Uuid(), sa.ForeignKey("claim.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("from_status", sa.String(20), nullable=False),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("tx_hash", sa.String(66), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.CheckConstraint(f"to_status IN {STATUSES}", name="ck_claim_status_change_to"),
    )
    op.create_index("ix_claim_status_change_claim_id", "claim_status_change", ["claim_id"])


def downgrade() -> None:
    op.drop_table("claim_status_change")
    op.drop_table("claim")
