"""The user table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, Enum, Index, String, text
from sqlmodel import Field, SQLModel

from subgraphs.common.context import Role

__all__ = ["User", "UserStatus", "utcnow", "varchar_enum"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UserStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"
    LOCKED = "LOCKED"


def varchar_enum(enum: type[StrEnum]) -> Enum:
    """A VARCHAR(20) holding the enum's value (the migration's check constraint lists them)."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class User(SQLModel, table=True):
    """A person who can sign in. ``email_normalized`` (lower-cased) is unique."""

    __tablename__ = "auth_user"
    __table_args__ = (Index("ix_auth_user_created", "created_at", "id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    email: str = Field(max_length=320, nullable=False)
    email_normalized: str = Field(
        sa_column=Column(String(320), nullable=False, unique=True, index=True)
    )
    display_name: str = Field(max_length=200, nullable=False)
    role: Role = Field(sa_column=Column(varchar_enum(Role), nullable=False))
    status: UserStatus = Field(
        default=UserStatus.ACTIVE,
        sa_column=Column(varchar_enum(UserStatus), nullable=False, server_default=text("'ACTIVE'")),
    )
    password_hash: str | None = Field(default=None, max_length=500)
    mfa_enabled: bool = Field(default=False, nullable=False)
    locked_until: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
