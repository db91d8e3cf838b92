"""Synthetic events for the analytics, and the figures a known day of them must give.

Dated in 2037 so that no other test's events share their days.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from subgraphs.common.events.envelope import EventEnvelope

__all__ = [
    "DAY",
    "KnownDay",
    "appointment",
    "at",
    "invoice",
    "known_day",
    "schedule",
    "sign_in",
]

DAY = date(2037, 3, 2)  # a Monday


def at(hour: float, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour)


def _event(
    type_: str, aggregate: str, occurred: datetime, payload: dict[str, Any]
) -> EventEnvelope:
    return EventEnvelope(
        type=type_,
        aggregate_type=type_.split(".", maxsplit=1)[0],
        aggregate_id=aggregate,
        occurred_at=occurred,
        actor="synthetic-user",
        payload=payload,
    )


def appointment(
    kind: str,
    doctor: uuid.UUID,
    *,
    occurred: datetime,
    starts: datetime,
    minutes: int = 30,
    appointment_id: uuid.UUID | None = None,
    **extra: Any,
) -> EventEnvelope:
    """``appointment.<kind>`` as clinical's journal publishes it."""
    identifier = appointment_id or uuid.uuid4()
    return _event(
        f"appointment.{kind}",
        str(identifier),
        occurred,
        {
            "appointmentId": str(identifier),
            "patientId": str(uuid.uuid4()),
            "doctorId": str(doctor),
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(minutes=minutes)).isoformat(),
            "status": kind.upper(),
            **extra,
        },
    )


def schedule(
    doctor: uuid.UUID, *, version: int, hours: dict[str, tuple[str, str]], occurred: datetime
) -> EventEnvelope:
    """``schedule.updated`` with one block of hours per weekday name."""
    return _event(
        "schedule.updated",
        str(doctor),
        occurred,
        {
            "doctorId": str(doctor),
            "timeZone": "UTC",
            "appointmentMinutes": 30,
            "weeklyHours": [
                {"weekday": weekday, "startsAt": start, "endsAt": end}
                for weekday, (start, end) in hours.items()
            ],
            "version": version,
        },
    )


def sign_in(*, occurred: datetime, failed: bool = False) -> EventEnvelope:
    kind = "auth.login_failed" if failed else "auth.login_succeeded"
    return _event(kind, str(uuid.uuid4()), occurred, {"email": "synthetic@example.test"})


def invoice(
    kind: str, *, occurred: datetime, currency: str = "EUR", amount: int = 0
) -> EventEnvelope:
    """``invoice.<kind>`` (issued, paid, partially_paid, refunded) as billing publishes it."""
    identifier = str(uuid.uuid4())
    return _event(
        f"invoice.{kind}",
        identifier,
        occurred,
        {
            "invoiceId": identifier,
            "currency": currency,
            "amountMinor": amount,
            "totalMinor": amount,
        },
    )


@dataclass
class KnownDay:
    """Events of :data:`DAY` and what the analytics must make of them."""

    doctors: tuple[uuid.UUID, uuid.UUID]
    events: list[EventEnvelope] = field(default_factory=list)


def known_day() -> KnownDay:
    """Two doctors (8 h and 4 h on Mondays) and a day of bookings, sign-ins and invoices.

    Figures of :data:`DAY`: booked 3 (leads 32 h, 2 h, 2 h: 12 h average), cancelled 1, no-show
    1, booked minutes 30 + 60 + 30 + 30 - 60 (cancelled) = 90 of 720 available (0.125);
    sign-ins 2, failed 1; invoices issued 2, paid 1; revenue EUR 10000 + 2500 - 500 = 12000.
    Two bookings happened on the days before, one booking moved to the next week.
    """
    first, second = uuid.uuid4(), uuid.uuid4()
    cancelled_id, moved_id = uuid.uuid4(), uuid.uuid4()
    visit = at(9)
    events = [
        schedule(first, version=1, hours={"MONDAY": ("08:00:00", "16:00:00")}, occurred=at(0)),
        schedule(second, version=1, hours={"MONDAY": ("08:00:00", "12:00:00")}, occurred=at(0)),
        # booked a day and two days ahead (occurred the day before: those count on their own day)
        appointment("booked", first, occurred=visit - timedelta(days=1), starts=visit),
        appointment(
            "booked",
            first,
            occurred=visit - timedelta(days=2),
            starts=visit + timedelta(hours=1),
            minutes=60,
            appointment_id=cancelled_id,
        ),
        # booked on DAY itself: 3 of them
        appointment("booked", second, occurred=at(1), starts=at(24 + 9), appointment_id=moved_id),
        appointment("booked", second, occurred=at(2), starts=at(4), minutes=30),
        appointment("booked", first, occurred=at(3), starts=at(5), minutes=30),
        appointment(
            "cancelled",
            first,
            occurred=at(6),
            starts=visit + timedelta(hours=1),
            minutes=60,
            appointment_id=cancelled_id,
        ),
        appointment("no_show", second, occurred=at(7), starts=at(4)),
        appointment(
            "rescheduled",
            second,
            occurred=at(8),
            starts=at(24 * 8 + 9),
            appointment_id=moved_id,
            previousStartsAt=at(24 + 9).isoformat(),
            previousEndsAt=at(24 + 9.5).isoformat(),
        ),
        sign_in(occurred=at(8)),
        sign_in(occurred=at(9)),
        sign_in(occurred=at(10), failed=True),
        invoice("issued", occurred=at(11), amount=10000),
        invoice("issued", occurred=at(11), amount=5000),
        invoice("paid", occurred=at(12), amount=10000),
        invoice("partially_paid", occurred=at(13), amount=2500),
        invoice("refunded", occurred=at(14), amount=500),
        # not counted: another kind of event
        _event("record.created", str(uuid.uuid4()), at(15), {"recordId": "x"}),
    ]
    return KnownDay(doctors=(first, second), events=events)
