"""The live feed's event log: every event of a live topic, numbered by its public position."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Identity, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

__all__ = ["LiveFeedEvent"]


class LiveFeedEvent(SQLModel, table=True):
    """One event of a live topic as the feed consumed it from the broker.

    Every replica inserts what it consumes, in broker order, keyed by the envelope's id (the
    first insert wins): ``position`` is then the same on every replica, rises in broker order
    per topic, and survives a broker that restarted empty. Gaps are harmless.
    """

    __tablename__ = "live_feed_event"
    __table_args__ = (Index("ix_live_feed_event_topic_position", "topic", "position"),)

    position: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), primary_key=True, nullable=False),
    )
    topic: str = Field(sa_column=Column(String(200), nullable=False))
    event_id: uuid.UUID = Field(unique=True, nullable=False)
    envelope: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
