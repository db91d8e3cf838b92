"""Idempotency keys of bookings: a retried request returns the booking it made, never a second.

A key belongs to one caller (their actor id). It is claimed inside the booking's transaction
with ``INSERT ... ON CONFLICT DO NOTHING`` on the primary key (migration clinical_0003): a
concurrent request with the same key waits for the first to commit or roll back, then finds
its booking, or books itself.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.appointments.models import Appointment, BookingKey
from subgraphs.common.errors import BadUserInput, IdempotencyKeyReused, NotFound

__all__ = ["MAX_KEY_LENGTH", "claim_key", "clean_key", "request_digest"]

MAX_KEY_LENGTH = 255


def clean_key(key: str | None) -> str | None:
    """The key as given, if it is 1-255 printable ASCII characters (a UUID is ideal)."""
    if key is None:
        return None
    if not 0 < len(key) <= MAX_KEY_LENGTH or not (key.isascii() and key.isprintable()):
        raise BadUserInput(
            f"idempotencyKey must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
            extensions={"field": "idempotencyKey"},
        )
    return key


def request_digest(request: Mapping[str, Any]) -> str:
    """A SHA-256 fingerprint of the request's content (canonical JSON, times in UTC)."""

    def canonical(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if isinstance(value, uuid.UUID):
            return str(value)
        return value

    text = json.dumps({k: canonical(v) for k, v in request.items()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


async def claim_key(
    session: AsyncSession,
    *,
    actor: str,
    key: str,
    digest: str,
    appointment_id: uuid.UUID,
    now: datetime,
) -> Appointment | None:
    """Claim ``key`` for the booking ``appointment_id`` about to be made: None when claimed.

    If this caller already used the key, the booking it made (same request) or
    IDEMPOTENCY_KEY_REUSED (another request).
    """
    connection = await session.connection()
    claimed = await connection.execute(
        insert(BookingKey)
        .values(
            actor=actor,
            key=key,
            request_digest=digest,
            appointment_id=appointment_id,
            created_at=now,
        )
        .on_conflict_do_nothing()
        .returning(col(BookingKey.key))
    )
    if claimed.first() is not None:
        return None
    earlier = (
        await session.exec(
            select(BookingKey).where(BookingKey.actor == actor, BookingKey.key == key)
        )
    ).one()
    if earlier.request_digest != digest:
        raise IdempotencyKeyReused(
            "This idempotencyKey was already used for a different booking; "
            "send a new key for a new request.",
            extensions={"field": "idempotencyKey"},
        )
    made = await session.get(Appointment, earlier.appointment_id)
    if made is None:  # the foreign key makes this impossible
        raise NotFound("No such appointment.")
    return made
