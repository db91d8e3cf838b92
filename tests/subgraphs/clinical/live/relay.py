"""STAND-IN for the kernel's outbox relay (issue 2, branch ``outbox``): publish pending events.

Reads unpublished ``outbox_event`` rows in position order, publishes each envelope to its topic
(key: the aggregate id) on the real broker, and marks it published. At merge, tests may use the
real relay instead.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from sqlmodel import col, select

from subgraphs.common.database import Database
from subgraphs.common.outbox import EventEnvelope, OutboxEvent

__all__ = ["relay_pending"]


async def relay_pending(database: Database, bootstrap_servers: str) -> int:
    """Publish every pending outbox event; how many were published."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all")
    await producer.start()
    try:
        async with database.transaction() as session:
            rows = (
                await session.exec(
                    select(OutboxEvent)
                    .where(col(OutboxEvent.published_at).is_(None))
                    .order_by(col(OutboxEvent.position))
                    .with_for_update(skip_locked=True)
                )
            ).all()
            for row in rows:
                envelope = EventEnvelope(
                    id=row.id,
                    type=row.type,
                    version=row.version,
                    aggregate_type=row.aggregate_type,
                    aggregate_id=row.aggregate_id,
                    occurred_at=row.occurred_at,
                    actor=row.actor,
                    payload=row.payload,
                )
                await producer.send_and_wait(
                    row.topic, envelope.to_bytes(), key=row.aggregate_id.encode()
                )
                row.published_at = datetime.now(UTC)
                session.add(row)
            return len(rows)
    finally:
        await producer.stop()
