"""What a booking asks for, checked: a reason, and an interval in the doctor's working hours."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.availability.service import doctor_availability, require_aware
from subgraphs.clinical.availability.windows import Interval, covers
from subgraphs.clinical.validation import FieldSpec, clean_fields, plain_text
from subgraphs.common.errors import BadUserInput

__all__ = [
    "BOOKING_HORIZON",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "bookable_interval",
    "clean_reason",
    "now_or",
]

BOOKING_HORIZON = timedelta(days=730)
MIN_LENGTH = timedelta(minutes=5)
MAX_LENGTH = timedelta(hours=8)


def now_or(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def clean_reason(value: str | None, *, required: bool = False) -> str | None:
    cleaned = clean_fields(
        {"reason": FieldSpec(plain_text(500, multiline=True), required=required)},
        {"reason": value},
        creating=required,
    )
    reason: str | None = cleaned.get("reason")
    return reason


def _interval(
    starts_at: datetime, ends_at: datetime | None, default_length: timedelta | None
) -> Interval:
    start = require_aware(starts_at, "startsAt")
    if ends_at is not None:
        end = require_aware(ends_at, "endsAt")
    elif default_length is not None:
        end = start + default_length
    else:
        raise BadUserInput("endsAt is required: the doctor has no default appointment length.")
    if end <= start:
        raise BadUserInput("endsAt must be after startsAt.", extensions={"field": "endsAt"})
    if not MIN_LENGTH <= end - start <= MAX_LENGTH:
        raise BadUserInput(
            "An appointment lasts between 5 minutes and 8 hours.", extensions={"field": "endsAt"}
        )
    return Interval(start, end)


async def bookable_interval(
    session: AsyncSession,
    *,
    doctor_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime | None,
    keep_length: timedelta | None,
    now: datetime,
) -> Interval:
    """The requested interval, once it is in the future and inside the doctor's working hours."""
    probe = require_aware(starts_at, "startsAt")
    availability = await doctor_availability(
        session, doctor_id=doctor_id, start=probe - MAX_LENGTH, end=probe + MAX_LENGTH * 2
    )
    if availability.doctor.archived_at is not None:
        raise BadUserInput("This doctor is archived.", extensions={"field": "doctorId"})
    if availability.schedule is None:
        raise BadUserInput(
            "This doctor has no working hours yet.", extensions={"field": "doctorId"}
        )
    default = keep_length or timedelta(minutes=availability.schedule.appointment_minutes)
    interval = _interval(starts_at, ends_at, default)
    if interval.start < now:
        raise BadUserInput(
            "The appointment would start in the past.", extensions={"field": "startsAt"}
        )
    if interval.start > now + BOOKING_HORIZON:
        raise BadUserInput(
            f"Appointments can be booked at most {BOOKING_HORIZON.days} days ahead.",
            extensions={"field": "startsAt"},
        )
    if not covers(availability.windows, interval):
        nearby = [
            {"startsAt": w.start.isoformat(), "endsAt": w.end.isoformat()}
            for w in availability.windows
        ]
        raise BadUserInput(
            "The appointment is outside the doctor's working hours.",
            extensions={"field": "startsAt", "workingHours": nearby},
        )
    return interval
