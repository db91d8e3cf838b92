"""Writing an event into the outbox inside the caller's transaction, and waking the relay.

The relay is woken twice over: by a NOTIFY on :data:`OUTBOX_CHANNEL`, issued in the writing
transaction (PostgreSQL delivers it on commit, to a relay in any process), and, when the active
relay runs in the writing process, directly once the transaction committed
(:func:`on_local_commit`). Its poll interval remains the fallback should both be missed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from router.telemetry.tracing import tracing
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.outbox.models import OutboxEvent

__all__ = ["OUTBOX_CHANNEL", "on_local_commit", "record_event"]

# The relay LISTENs here; NOTIFY is transactional, so it fires only when the change commits.
OUTBOX_CHANNEL = "healthgraph_outbox"
_PENDING = "healthgraph_outbox_pending"  # Session.info flag: this transaction wrote events
_local_wakers: list[Callable[[], None]] = []


def on_local_commit(wake: Callable[[], None]) -> Callable[[], None]:
    """Call ``wake()`` after each commit of this process that recorded events; the undo."""
    _local_wakers.append(wake)

    def undo() -> None:
        if wake in _local_wakers:
            _local_wakers.remove(wake)

    return undo


def _committed(session: Session) -> None:
    if session.info.pop(_PENDING, False):
        for wake in tuple(_local_wakers):
            wake()


def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _wake_after_commit(session: AsyncSession) -> None:
    sync = session.sync_session
    if _PENDING in sync.info:
        return
    sync.info[_PENDING] = True
    if not event.contains(sync, "after_commit", _committed):
        event.listen(sync, "after_commit", _committed)
        event.listen(sync, "after_rollback", _rolled_back)


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
            trace_context=tracing.traceparent(),
        )
    )
    connection = await session.connection()
    await connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": OUTBOX_CHANNEL})
    if _local_wakers:
        _wake_after_commit(session)
    return envelope
