"""Payments at Stripe and PayPal, and the provider webhooks processed (one row per event id).

Revision ID: billing_4001
Revises:
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "billing_4001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("billing_payments",)
# The invoices revision (billing_1001): every payment pays an invoice.
depends_on: str | Sequence[str] | None = "billing_1001"

PROVIDERS = "('STRIPE', 'PAYPAL')"
STATUSES = "('PENDING', 'SUCCEEDED', 'FAILED', 'REFUNDED', 'REJECTED')"


def upgrade() -> None:
    op.create_table(
        "payment",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("invoice_id", sa.Uuid(), sa.ForeignKey("invoice.id"), nullable=False),
        sa.Column("patient_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("refunded_minor", sa.BigInteger(), nullable=False),
        sa.Column("applied_minor", sa.BigInteger(), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False, unique=True),
        sa.Column("provider_reference", sa.String(255)),
        sa.Column("capture_reference", sa.String(255)),
        sa.Column("approval_url", sa.String(2000)),
        sa.Column("failure_message", sa.String(500)),
        sa.Column("succeeded_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("provider", "provider_reference", name="uq_payment_provider_reference"),
        sa.CheckConstraint(f"provider IN {PROVIDERS}", name="ck_payment_provider"),
        sa.CheckConstraint(f"status IN {STATUSES}", name="ck_payment_status"),
        sa.CheckConstraint("amount_minor > 0", name="ck_payment_amount"),
        # never more refunded, nor more counted on the invoice, than was paid
        sa.CheckConstraint(
            "refunded_minor BETWEEN 0 AND amount_minor AND applied_minor BETWEEN 0 AND amount_minor",
            name="ck_payment_amounts",
        ),
    )
    op.create_index("ix_payment_invoice_id", "payment", ["invoice_id"])
    op.create_index("ix_payment_patient_id", "payment", ["patient_id"])
    op.create_index("ix_payment_capture_reference", "payment", ["capture_reference"])
    op.create_table(
        "payment_webhook",
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("payment_id", sa.Uuid(), sa.ForeignKey("payment.id")),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("detail", sa.String(500)),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", "event_id", name="pk_payment_webhook"),
    )
    op.create_index("ix_payment_webhook_payment_id", "payment_webhook", ["payment_id"])


def downgrade() -> None:
    op.drop_table("payment_webhook")
    op.drop_table("payment")
