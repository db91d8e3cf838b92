"""The analytics store's rules: apply events exactly once, reset for a rebuild, read the figures.

Exactly once: the event ids applied are recorded in ``processed_event`` (consumer = the group)
in the same transaction as their counters, and an id already recorded is skipped. Every effect
is an addition (or a schedule kept by version), so events applied in any order, by the live
consumer and a rebuild at once, give the same figures.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import orjson
from sqlalchemy import text
from sqlmodel import col, select

from subgraphs.clinical.analytics.events import (
    Effects,
    Metric,
    WeeklyMinutes,
    effects_of,
)
from subgraphs.clinical.analytics.models import AnalyticsCounter, AnalyticsDoctorHours
from subgraphs.common.database import AsyncSession
from subgraphs.common.errors import BadUserInput
from subgraphs.common.events.envelope import EventEnvelope

__all__ = [
    "AppointmentFigures",
    "DayFigures",
    "DoctorDayFigures",
    "Report",
    "apply_effects",
    "apply_events",
    "check_span",
    "report",
    "reset",
]

_UPSERT_COUNTERS = text(
    "INSERT INTO analytics_counter (day, metric, dimension, value)"
    " SELECT * FROM unnest(CAST(:days AS date[]), CAST(:metrics AS varchar[]),"
    " CAST(:dimensions AS varchar[]), CAST(:counts AS bigint[]))"
    " ON CONFLICT (day, metric, dimension)"
    " DO UPDATE SET value = analytics_counter.value + EXCLUDED.value"
)
_UPSERT_HOURS = text(
    "INSERT INTO analytics_doctor_hours (doctor_id, time_zone, minutes_by_weekday, version)"
    " VALUES (:doctor, :zone, CAST(:minutes AS jsonb), :version)"
    " ON CONFLICT (doctor_id) DO UPDATE SET time_zone = EXCLUDED.time_zone,"
    " minutes_by_weekday = EXCLUDED.minutes_by_weekday, version = EXCLUDED.version"
    " WHERE analytics_doctor_hours.version <= EXCLUDED.version"
)
_FIRST_TIME = text(
    "INSERT INTO processed_event (consumer, event_id)"
    " SELECT :consumer, unnest(CAST(:ids AS uuid[])) ON CONFLICT DO NOTHING RETURNING event_id"
)


async def apply_effects(session: AsyncSession, effects: Iterable[Effects]) -> None:
    """Add the counters and keep the newest weekly hours of ``effects`` (in ``session``'s
    transaction; counters in key order, so concurrent writers never deadlock)."""
    sums: dict[tuple[date, str, str], int] = defaultdict(int)
    hours: dict[uuid.UUID, WeeklyMinutes] = {}
    for effect in effects:
        for increment in effect.increments:
            sums[increment.day, increment.metric.value, increment.dimension] += increment.value
        for weekly in effect.hours:
            known = hours.get(weekly.doctor_id)
            if known is None or known.version <= weekly.version:
                hours[weekly.doctor_id] = weekly
    connection = await session.connection()
    if sums:
        keys = sorted(sums)
        await connection.execute(
            _UPSERT_COUNTERS,
            {
                "days": [key[0] for key in keys],
                "metrics": [key[1] for key in keys],
                "dimensions": [key[2] for key in keys],
                "counts": [sums[key] for key in keys],
            },
        )
    for doctor in sorted(hours):
        weekly = hours[doctor]
        await connection.execute(
            _UPSERT_HOURS,
            {
                "doctor": doctor,
                "zone": weekly.time_zone,
                "minutes": orjson.dumps(dict(weekly.minutes_by_weekday)).decode(),
                "version": weekly.version,
            },
        )


async def apply_events(
    session: AsyncSession, envelopes: Sequence[EventEnvelope], *, consumer: str
) -> int:
    """Apply the events of ``envelopes`` not yet applied for ``consumer``; how many were new.

    Events the analytics do not count are not recorded at all. A malformed event raises
    ``ValueError`` before anything is written.
    """
    effects = {envelope.id: effects_of(envelope) for envelope in envelopes}
    counted = [event_id for event_id, effect in effects.items() if effect]
    if not counted:
        return 0
    connection = await session.connection()
    rows = await connection.execute(_FIRST_TIME, {"consumer": consumer, "ids": counted})
    new = {row[0] for row in rows}
    await apply_effects(session, (effects[event_id] for event_id in counted if event_id in new))
    return len(new)


async def reset(session: AsyncSession, *, consumer: str) -> None:
    """Empty the store and forget which events ``consumer`` applied (before a replay).

    The tables are locked first, so a live handler's transaction either commits before the reset
    (and is forgotten with it) or waits and lands on the empty store (and stays remembered).
    """
    connection = await session.connection()
    await connection.execute(
        text("LOCK TABLE analytics_counter, analytics_doctor_hours IN ACCESS EXCLUSIVE MODE")
    )
    await connection.execute(text("DELETE FROM analytics_counter"))
    await connection.execute(text("DELETE FROM analytics_doctor_hours"))
    await connection.execute(
        text("DELETE FROM processed_event WHERE consumer = :consumer"), {"consumer": consumer}
    )


# ------------------------------------------------------------------ reading the figures


@dataclass(slots=True)
class AppointmentFigures:
    booked: int = 0
    cancelled: int = 0
    no_show: int = 0
    completed: int = 0
    lead_seconds: int = 0
    booked_minutes: int = 0
    available_minutes: int = 0

    @property
    def average_lead_hours(self) -> float | None:
        """Mean booking -> visit time of the day's bookings (None without bookings)."""
        return round(self.lead_seconds / self.booked / 3600, 2) if self.booked else None

    @property
    def utilisation(self) -> float | None:
        """Booked share of the available minutes (None when the doctors had no hours)."""
        if not self.available_minutes:
            return None
        return round(max(self.booked_minutes, 0) / self.available_minutes, 4)

    def add(self, metric: Metric, value: int) -> None:
        setattr(
            self, _APPOINTMENT_FIELDS[metric], getattr(self, _APPOINTMENT_FIELDS[metric]) + value
        )


_APPOINTMENT_FIELDS = {
    Metric.BOOKED: "booked",
    Metric.CANCELLED: "cancelled",
    Metric.NO_SHOW: "no_show",
    Metric.COMPLETED: "completed",
    Metric.LEAD_SECONDS: "lead_seconds",
    Metric.BOOKED_MINUTES: "booked_minutes",
}


@dataclass(slots=True)
class DayFigures:
    day: date
    appointments: AppointmentFigures = field(default_factory=AppointmentFigures)
    sign_ins: int = 0
    failed_sign_ins: int = 0
    invoices_issued: int = 0
    invoices_paid: int = 0
    revenue_minor: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class DoctorDayFigures:
    day: date
    doctor_id: uuid.UUID
    appointments: AppointmentFigures = field(default_factory=AppointmentFigures)


@dataclass(frozen=True, slots=True)
class Report:
    start: date
    end: date
    days: list[DayFigures]
    doctors: list[DoctorDayFigures]


def check_span(start: date, end: date, *, max_days: int) -> None:
    """BAD_USER_INPUT unless ``start <= end`` within ``max_days`` days."""
    if end < start:
        raise BadUserInput("'to' is before 'from'.", extensions={"field": "to"})
    if (end - start).days + 1 > max_days:
        raise BadUserInput(
            f"At most {max_days} days per query.", extensions={"field": "to", "maxDays": max_days}
        )


async def report(session: AsyncSession, *, start: date, end: date) -> Report:
    """The figures of every day of ``[start, end]`` (days without events are zeros), and of each
    doctor on the days they had appointments."""
    days = {
        start + timedelta(days=n): DayFigures(start + timedelta(days=n))
        for n in range((end - start).days + 1)
    }
    doctors: dict[tuple[date, str], DoctorDayFigures] = {}
    counters = await session.exec(
        select(AnalyticsCounter).where(
            col(AnalyticsCounter.day) >= start, col(AnalyticsCounter.day) <= end
        )
    )
    for counter in counters:
        figures = days[counter.day]
        metric = Metric(counter.metric)
        if metric in _APPOINTMENT_FIELDS:
            figures.appointments.add(metric, counter.value)
            key = (counter.day, counter.dimension)
            if key not in doctors:
                doctors[key] = DoctorDayFigures(counter.day, uuid.UUID(counter.dimension))
            doctors[key].appointments.add(metric, counter.value)
        elif metric is Metric.SIGN_INS:
            figures.sign_ins += counter.value
        elif metric is Metric.FAILED_SIGN_INS:
            figures.failed_sign_ins += counter.value
        elif metric is Metric.INVOICES_ISSUED:
            figures.invoices_issued += counter.value
        elif metric is Metric.INVOICES_PAID:
            figures.invoices_paid += counter.value
        elif metric is Metric.REVENUE_MINOR:
            revenue = figures.revenue_minor
            revenue[counter.dimension] = revenue.get(counter.dimension, 0) + counter.value
    hours = {
        str(row.doctor_id): row.minutes_by_weekday
        for row in await session.exec(select(AnalyticsDoctorHours))
    }
    for figures in days.values():
        weekday = str(figures.day.isoweekday())
        figures.appointments.available_minutes = sum(
            int(minutes.get(weekday, 0)) for minutes in hours.values()
        )
    for (day, doctor), figures_of_doctor in doctors.items():
        figures_of_doctor.appointments.available_minutes = int(
            hours.get(doctor, {}).get(str(day.isoweekday()), 0)
        )
    ordered = sorted(doctors.values(), key=lambda d: (d.day, str(d.doctor_id)))
    return Report(start=start, end=end, days=list(days.values()), doctors=ordered)
