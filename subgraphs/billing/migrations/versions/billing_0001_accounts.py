"""Billing accounts: one per patient, with payer and insurance details.

Revision ID: billing_0001
Revises:
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "billing_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("billing",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "billing_account",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("patient_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("patient_user_id", sa.Uuid(), nullable=True),
        sa.Column("payer_name", sa.String(200), nullable=True),
        sa.Column("payer_email", sa.String(254), nullable=True),
        sa.Column("payer_address", sa.String(500), nullable=True),
        sa.Column("insurer", sa.String(200), nullable=True),
        sa.Column("policy_number", sa.String(100), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="ck_billing_account_currency"),
    )
    op.create_index("ix_billing_account_patient_user_id", "billing_account", ["patient_user_id"])


def downgrade() -> None:
    op.drop_table("billing_account")
