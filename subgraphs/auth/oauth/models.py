"""Links between our users and their accounts at external identity providers."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from subgraphs.auth.users.models import utcnow

__all__ = ["ExternalIdentity"]


class ExternalIdentity(SQLModel, table=True):
    """``(provider, subject)`` -> user: the provider's stable subject id, never the email."""

    __tablename__ = "external_identity"
    __table_args__ = (UniqueConstraint("provider", "subject", name="uq_external_identity"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    provider: str = Field(sa_column=Column(String(50), nullable=False))
    subject: str = Field(sa_column=Column(String(255), nullable=False))
    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("auth_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    email: str | None = Field(default=None, max_length=320)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
