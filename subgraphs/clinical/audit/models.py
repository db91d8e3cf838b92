"""The access audit store's table: one append-only, hash-chained entry per ``audit.access`` event."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

__all__ = ["AccessAuditEntry"]


class AccessAuditEntry(SQLModel, table=True):
    """Who did what to whose data, allowed or denied; ``hash`` chains it to the entry before.

    The database refuses UPDATE, DELETE and TRUNCATE (trigger ``clinical_refuse_change``);
    ``seq`` numbers the chain without gaps from 1.
    """

    __tablename__ = "access_audit_entry"

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    event_id: uuid.UUID = Field(unique=True, nullable=False)
    event_type: str = Field(max_length=100, nullable=False)
    occurred_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    actor: str = Field(max_length=200, nullable=False)
    role: str | None = Field(default=None, max_length=20)
    request_id: str | None = Field(default=None, max_length=200)
    action: str = Field(max_length=50, nullable=False)
    allowed: bool = Field(nullable=False)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    break_glass: bool = Field(nullable=False)
    patient_ids: list[uuid.UUID] = Field(sa_column=Column(ARRAY(Uuid), nullable=False))
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    prev_hash: str = Field(max_length=64, nullable=False)
    hash: str = Field(max_length=64, nullable=False)
