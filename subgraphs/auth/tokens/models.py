"""Signing keys, refresh tokens and sign-in challenges."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, DateTime, ForeignKey, Index, LargeBinary, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from subgraphs.auth.users.models import utcnow, varchar_enum

__all__ = ["ChallengePurpose", "RefreshToken", "SignInChallenge", "SigningKey"]


class SigningKey(SQLModel, table=True):
    """An Ed25519 signing key; the private half encrypted with the service's master key."""

    __tablename__ = "signing_key"

    kid: str = Field(primary_key=True, max_length=64)
    algorithm: str = Field(max_length=20, nullable=False)
    public_jwk: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    private_key_encrypted: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    # Set when a newer key takes over signing; the public key stays published a while longer.
    retired_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class RefreshToken(SQLModel, table=True):
    """One opaque refresh token (stored as a keyed digest); tokens of one login share a family."""

    __tablename__ = "refresh_token"
    __table_args__ = (Index("ix_refresh_token_family", "family_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    family_id: uuid.UUID = Field(nullable=False)
    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("auth_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    token_digest: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    rotated_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    revoked_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class ChallengePurpose(StrEnum):
    MFA = "MFA"  # password accepted; a TOTP or recovery code completes the login
    ENROLL = "ENROLL"  # password accepted; MFA is mandatory and must be enrolled first


class SignInChallenge(SQLModel, table=True):
    """The ``mfaToken`` between a correct password and full tokens (stored as a digest)."""

    __tablename__ = "sign_in_challenge"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    token_digest: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("auth_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    purpose: ChallengePurpose = Field(
        sa_column=Column(varchar_enum(ChallengePurpose), nullable=False)
    )
    failures: int = Field(default=0, nullable=False)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    expires_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    consumed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
