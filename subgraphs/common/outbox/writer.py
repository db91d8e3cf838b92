"""Writing an event into the outbox inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.outbox.models import OutboxEvent

__all__ = ["OUTBOX_CHANNEL", "record_event"]

# The relay LISTENs here; NOTIFY is transactional, so it fires only when the change commits.
OUTBOX_CHANNEL = "healthgraph_outbox"


async def record_event(
    session: AsyncSession,
    *,
    topic: str,
    type: str,  # noqa: A002 (the envelope's field is called type)
    aggregate_type: str,
    aggregate_id: str,
    actor: str,
    payload: dict[str, Any] | None = None,
) -> EventEnvelope:
    """Add an event to ``session``'s transaction; it reaches Kafka only if that transaction commits."""
    envelope = EventEnvelope(
        type=type,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        actor=actor,
        payload=payload or {},
    )
    session.add(
        OutboxEvent(
            id=envelope.id,
            topic=topic,
            type=envelope.type,
            version=envelope.version,
            aggregate_type=envelope.aggregate_type,
            aggregate_id=envelope.aggregate_id,
            occurred_at=envelope.occurred_at,
            actor=envelope.actor,
            payload=envelope.model_dump(mode="json")["payload"],
        )
    )
    connection = await session.connection()
    await connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": OUTBOX_CHANNEL})
    return envelope
