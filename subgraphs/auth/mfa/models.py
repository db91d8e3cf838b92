"""TOTP credentials and recovery codes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, LargeBinary, String
from sqlmodel import Field, SQLModel

from subgraphs.auth.users.models import utcnow

__all__ = ["RecoveryCode", "TotpCredential"]


class TotpCredential(SQLModel, table=True):
    """A user's TOTP seed (encrypted); usable once confirmed. ``last_step`` blocks code reuse."""

    __tablename__ = "totp_credential"

    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("auth_user.id", ondelete="CASCADE"), primary_key=True)
    )
    secret_encrypted: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    confirmed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    last_step: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class RecoveryCode(SQLModel, table=True):
    """One single-use recovery code, stored as a keyed digest."""

    __tablename__ = "recovery_code"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("auth_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    code_digest: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    used_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
