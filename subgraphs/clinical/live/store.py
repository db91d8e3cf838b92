"""Where feed positions come from: the ``live_feed_event`` log in PostgreSQL, shared by replicas.

Each replica inserts the events it consumes in broker order (the first insert of an event id
wins, the others read its position back), so a position names the same event on every replica
and outlives a broker that restarted empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select

from subgraphs.clinical.live.models import LiveFeedEvent
from subgraphs.clinical.live.replay import FeedEvent
from subgraphs.common.database import Database
from subgraphs.common.events.envelope import EventEnvelope

__all__ = ["load_window", "prune", "record_events"]


async def record_events(
    database: Database, consumed: Sequence[tuple[str, EventEnvelope]]
) -> list[FeedEvent]:
    """Store ``consumed`` (topic, envelope) in order, in one transaction; each at its position.

    An event already stored (by another replica, or before a broker restart) keeps its position.
    """
    events: list[FeedEvent] = []
    async with database.transaction() as session:
        known = dict(
            (
                await session.exec(
                    select(LiveFeedEvent.event_id, LiveFeedEvent.position).where(
                        col(LiveFeedEvent.event_id).in_([envelope.id for _, envelope in consumed])
                    )
                )
            ).all()
        )
        connection = await session.connection()
        for topic, envelope in consumed:
            stored = known.get(envelope.id)
            if stored is not None:  # re-read after a restart, or stored by another replica
                events.append(FeedEvent(topic=topic, position=stored, envelope=envelope))
                continue
            inserted = await connection.execute(
                insert(LiveFeedEvent)
                .values(
                    topic=topic,
                    event_id=envelope.id,
                    envelope=envelope.model_dump(mode="json"),
                )
                .on_conflict_do_nothing(index_elements=["event_id"])
                .returning(col(LiveFeedEvent.position))
            )
            position: int | None = inserted.scalar_one_or_none()
            if position is None:  # a separate statement: it sees another replica's commit
                stored_position = await connection.execute(
                    select(col(LiveFeedEvent.position)).where(LiveFeedEvent.event_id == envelope.id)
                )
                position = stored_position.scalar_one()
            # An identity column: never NULL once stored.
            events.append(FeedEvent(topic=topic, position=position or 0, envelope=envelope))
    return events


async def load_window(database: Database, topic: str, capacity: int) -> tuple[int, list[FeedEvent]]:
    """The newest ``capacity`` stored events of ``topic``, oldest first, and their floor.

    The floor is the lowest position from which the history is complete: one past the newest
    event left out, or 0 when none is.
    """
    async with database.session() as session:
        rows = list(
            await session.exec(
                select(LiveFeedEvent)
                .where(LiveFeedEvent.topic == topic)
                .order_by(col(LiveFeedEvent.position).desc())
                .limit(capacity + 1)
            )
        )
    floor = 0
    if len(rows) > capacity:
        floor = (rows.pop().position or 0) + 1
    events = [
        FeedEvent(
            topic=topic,
            position=row.position or 0,
            envelope=EventEnvelope.model_validate(row.envelope),
        )
        for row in reversed(rows)
    ]
    return floor, events


async def prune(database: Database, topic: str, capacity: int) -> int:
    """Keep the newest ``capacity`` events of ``topic`` and the one before (it marks the floor)."""
    boundary = (
        select(LiveFeedEvent.position)
        .where(LiveFeedEvent.topic == topic)
        .order_by(col(LiveFeedEvent.position).desc())
        .offset(capacity)
        .limit(1)
        .scalar_subquery()
    )
    async with database.transaction() as session:
        result = await (await session.connection()).execute(
            delete(LiveFeedEvent).where(
                col(LiveFeedEvent.topic) == topic, col(LiveFeedEvent.position) < boundary
            )
        )
    return int(getattr(result, "rowcount", 0) or 0)
