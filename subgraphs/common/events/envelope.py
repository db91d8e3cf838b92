"""The one versioned event envelope every service publishes, serialised as JSON."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ENVELOPE_VERSION", "EventEnvelope"]

ENVELOPE_VERSION = 1


class EventEnvelope(BaseModel):
    """What travels on Kafka: the event's identity, its aggregate, when, who, and its payload."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = ENVELOPE_VERSION
    aggregate_type: str
    aggregate_id: str
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    actor: str
    payload: dict[str, Any] = Field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json"))

    @classmethod
    def from_bytes(cls, data: bytes) -> EventEnvelope:
        return cls.model_validate(orjson.loads(data))
