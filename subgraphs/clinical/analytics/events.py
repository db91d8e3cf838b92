"""What each event adds to the analytics: counter increments and doctors' weekly hours.

Pure functions of the event, so that the consumer, the rebuild and the tests share them. Days are
UTC days: of the event for what happened (booked, cancelled, signed in, paid), of the visit's
start for the minutes a doctor is booked. A malformed event raises ``ValueError`` (the consumer
retries it, then dead-letters it).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from subgraphs.common.events.envelope import EventEnvelope

__all__ = ["TOTAL", "Effects", "Increment", "Metric", "WeeklyMinutes", "effects_of"]

TOTAL = ""  # the dimension of counters that are not split (sign-ins)
_WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


class Metric(StrEnum):
    """The counters kept per UTC day; the dimension is a doctor id, a currency or :data:`TOTAL`."""

    BOOKED = "appointments.booked"
    CANCELLED = "appointments.cancelled"
    NO_SHOW = "appointments.no_show"
    COMPLETED = "appointments.completed"
    LEAD_SECONDS = "appointments.lead_seconds"  # booking -> visit, summed over bookings
    BOOKED_MINUTES = "appointments.booked_minutes"  # on the visit's day, cancellations deducted
    SIGN_INS = "auth.sign_ins"
    FAILED_SIGN_INS = "auth.failed_sign_ins"
    INVOICES_ISSUED = "billing.invoices_issued"
    INVOICES_PAID = "billing.invoices_paid"
    REVENUE_MINOR = "billing.revenue_minor"  # payments less refunds, in minor units


@dataclass(frozen=True, slots=True)
class Increment:
    day: date
    metric: Metric
    dimension: str
    value: int


@dataclass(frozen=True, slots=True)
class WeeklyMinutes:
    """A doctor's working minutes per ISO weekday ("1" = Monday) as of schedule ``version``."""

    doctor_id: uuid.UUID
    time_zone: str
    minutes_by_weekday: Mapping[str, int]
    version: int


@dataclass(slots=True)
class Effects:
    increments: list[Increment] = field(default_factory=list)
    hours: list[WeeklyMinutes] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.increments or self.hours)


def _required(payload: Mapping[str, Any], key: str) -> Any:
    value = payload.get(key)
    if value is None:
        raise ValueError(f"the event has no {key!r}")
    return value


def _instant(payload: Mapping[str, Any], key: str) -> datetime:
    value = datetime.fromisoformat(str(_required(payload, key)))
    if value.tzinfo is None:
        raise ValueError(f"{key!r} has no UTC offset")
    return value.astimezone(UTC)


def _minutes(start: datetime, end: datetime) -> int:
    return max(int((end - start).total_seconds() // 60), 0)


def _appointment(envelope: EventEnvelope, day: date) -> list[Increment]:
    payload = envelope.payload
    kind = envelope.type.removeprefix("appointment.")
    doctor = str(uuid.UUID(str(_required(payload, "doctorId"))))
    starts, ends = _instant(payload, "startsAt"), _instant(payload, "endsAt")
    visit_day = starts.date()
    if kind == "booked":
        lead = max(int((starts - envelope.occurred_at).total_seconds()), 0)
        return [
            Increment(day, Metric.BOOKED, doctor, 1),
            Increment(day, Metric.LEAD_SECONDS, doctor, lead),
            Increment(visit_day, Metric.BOOKED_MINUTES, doctor, _minutes(starts, ends)),
        ]
    if kind == "cancelled":
        return [
            Increment(day, Metric.CANCELLED, doctor, 1),
            Increment(visit_day, Metric.BOOKED_MINUTES, doctor, -_minutes(starts, ends)),
        ]
    if kind == "rescheduled":
        before = _instant(payload, "previousStartsAt"), _instant(payload, "previousEndsAt")
        return [
            Increment(before[0].date(), Metric.BOOKED_MINUTES, doctor, -_minutes(*before)),
            Increment(visit_day, Metric.BOOKED_MINUTES, doctor, _minutes(starts, ends)),
        ]
    if kind == "no_show":
        return [Increment(day, Metric.NO_SHOW, doctor, 1)]
    if kind == "completed":
        return [Increment(day, Metric.COMPLETED, doctor, 1)]
    return []


def _weekly_minutes(envelope: EventEnvelope) -> WeeklyMinutes:
    payload = envelope.payload
    minutes: dict[str, int] = {}
    for block in _required(payload, "weeklyHours"):
        weekday = str(_WEEKDAYS.index(str(block["weekday"])) + 1)
        start, end = time.fromisoformat(block["startsAt"]), time.fromisoformat(block["endsAt"])
        span = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        minutes[weekday] = minutes.get(weekday, 0) + max(span, 0)
    return WeeklyMinutes(
        doctor_id=uuid.UUID(str(_required(payload, "doctorId"))),
        time_zone=str(payload.get("timeZone") or "UTC"),
        minutes_by_weekday=minutes,
        version=int(payload.get("version") or 0),
    )


def _billing(envelope: EventEnvelope, day: date) -> list[Increment]:
    payload = envelope.payload
    if envelope.type == "invoice.issued":
        return [Increment(day, Metric.INVOICES_ISSUED, str(_required(payload, "currency")), 1)]
    if envelope.type in {"invoice.paid", "invoice.partially_paid", "invoice.refunded"}:
        currency = str(_required(payload, "currency"))
        amount = int(_required(payload, "amountMinor"))
        increments = [
            Increment(
                day,
                Metric.REVENUE_MINOR,
                currency,
                -amount if envelope.type == "invoice.refunded" else amount,
            )
        ]
        if envelope.type == "invoice.paid":
            increments.append(Increment(day, Metric.INVOICES_PAID, currency, 1))
        return increments
    return []


_SIGN_INS = {
    "auth.login_succeeded": Metric.SIGN_INS,
    "auth.login_failed": Metric.FAILED_SIGN_INS,
}


def effects_of(envelope: EventEnvelope) -> Effects:
    """What ``envelope`` adds (nothing for the events the analytics do not count)."""
    day = envelope.occurred_at.astimezone(UTC).date()
    try:
        if envelope.type.startswith("appointment."):
            return Effects(increments=_appointment(envelope, day))
        if envelope.type == "schedule.updated":
            return Effects(hours=[_weekly_minutes(envelope)])
        if envelope.type in _SIGN_INS:
            return Effects(increments=[Increment(day, _SIGN_INS[envelope.type], TOTAL, 1)])
        return Effects(increments=_billing(envelope, day))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed {envelope.type} event {envelope.id}: {exc}") from exc
