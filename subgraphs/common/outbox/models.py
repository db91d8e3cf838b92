"""The outbox table (events waiting for the broker) and the processed-event table (consumer de-dup)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Identity, Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

__all__ = ["OutboxEvent", "ProcessedEvent"]


class OutboxEvent(SQLModel, table=True):
    """One event, committed with the change it describes; ``published_at`` is set once acked."""

    __tablename__ = "outbox_event"
    __table_args__ = (
        Index(
            "ix_outbox_event_unpublished",
            "position",
            postgresql_where=text("published_at IS NULL"),
        ),
    )

    position: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), primary_key=True),
    )
    id: uuid.UUID = Field(unique=True, nullable=False)
    topic: str = Field(max_length=200, nullable=False)
    type: str = Field(max_length=200, nullable=False)
    version: int = Field(nullable=False)
    aggregate_type: str = Field(max_length=100, nullable=False)
    aggregate_id: str = Field(max_length=200, nullable=False)
    occurred_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    actor: str = Field(max_length=200, nullable=False)
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    published_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    attempts: int = Field(default=0, nullable=False)
    last_error: str | None = Field(default=None, max_length=2000)
    # the W3C traceparent of the writing request (tracing on): the relay's publish joins its trace
    trace_context: str | None = Field(default=None, max_length=512)


class ProcessedEvent(SQLModel, table=True):
    """An event id a consumer group has already handled, written in the handler's transaction."""

    __tablename__ = "processed_event"

    consumer: str = Field(primary_key=True, max_length=200)
    event_id: uuid.UUID = Field(primary_key=True)
    processed_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=text("now()"))
    )
