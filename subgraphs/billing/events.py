"""Billing's outbox events: every change to ``billing.events``, in the change's own transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import BILLING_EVENTS
from subgraphs.common.outbox import record_event

__all__ = ["BILLING_TOPIC", "record_billing_event"]

BILLING_TOPIC = BILLING_EVENTS.name


async def record_billing_event(
    session: AsyncSession,
    *,
    type: str,  # noqa: A002 (the envelope's field name)
    aggregate_type: str,
    aggregate_id: str,
    actor: str,
    payload: dict[str, Any],
) -> EventEnvelope:
    """``type`` (``invoice.issued``, ``account.created``, ...) on ``billing.events``."""
    return await record_event(
        session,
        topic=BILLING_TOPIC,
        type=type,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        actor=actor,
        payload=payload,
    )
