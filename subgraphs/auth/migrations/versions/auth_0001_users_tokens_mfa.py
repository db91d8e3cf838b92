"""Auth tables: users, signing keys, refresh tokens, sign-in challenges, TOTP, recovery codes, OAuth links.

Revision ID: auth_0001
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "auth_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("auth",)
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "auth_user",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("email_normalized", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default=sa.text("'ACTIVE'")),
        sa.Column("password_hash", sa.String(500), nullable=True),
        sa.Column("mfa_enabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("role IN ('ADMIN', 'DOCTOR', 'STAFF', 'PATIENT')", name="ck_auth_user_role"),
        sa.CheckConstraint("status IN ('ACTIVE', 'DISABLED', 'LOCKED')", name="ck_auth_user_status"),
        sa.CheckConstraint("email_normalized = lower(email_normalized)", name="ck_auth_user_email_lower"),
    )
    op.create_index("ix_auth_user_email_normalized", "auth_user", ["email_normalized"], unique=True)
    op.create_index("ix_auth_user_created", "auth_user", ["created_at", "id"])

    op.create_table(
        "signing_key",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("algorithm", sa.String(20), nullable=False),
        sa.Column("public_jwk", postgresql.JSONB(), nullable=False),
        sa.Column("private_key_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("retired_at", TS, nullable=True),
    )

    op.create_table(
        "refresh_token",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("auth_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("rotated_at", TS, nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
    )
    op.create_index("ix_refresh_token_family", "refresh_token", ["family_id"])
    op.create_index("ix_refresh_token_user_id", "refresh_token", ["user_id"])

    op.create_table(
        "sign_in_challenge",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("token_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("auth_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("consumed_at", TS, nullable=True),
    )
    op.create_index("ix_sign_in_challenge_user_id", "sign_in_challenge", ["user_id"])

    op.create_table(
        "totp_credential",
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("auth_user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("secret_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("confirmed_at", TS, nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )

    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("auth_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("used_at", TS, nullable=True),
    )
    op.create_index("ix_recovery_code_user_id", "recovery_code", ["user_id"])

    op.create_table(
        "external_identity",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("provider", sa.String(50), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("auth_user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("provider", "subject", name="uq_external_identity"),
    )
    op.create_index("ix_external_identity_user_id", "external_identity", ["user_id"])


def downgrade() -> None:
    for table in (
        "external_identity",
        "recovery_code",
        "totp_credential",
        "sign_in_challenge",
        "refresh_token",
        "signing_key",
        "auth_user",
    ):
        op.drop_table(table)
