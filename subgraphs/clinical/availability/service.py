"""Doctors' schedules: weekly hours, dated exceptions, working windows and free slots.

Changes are made by an ADMIN or by the doctor themself, and are recorded as ``schedule.*``
events on ``clinical.events``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.principal import resolve_principal
from subgraphs.clinical.appointments.models import ACTIVE_STATUSES, Appointment
from subgraphs.clinical.availability.models import (
    DoctorSchedule,
    ExceptionKind,
    ScheduleException,
    Weekday,
    WorkingHours,
)
from subgraphs.clinical.availability.windows import (
    DayRule,
    Interval,
    free_slots,
    working_windows,
)
from subgraphs.clinical.loaders import single
from subgraphs.clinical.people.models import Doctor, StaffRole
from subgraphs.clinical.people.service import DOCTORS, active_person
from subgraphs.clinical.validation import FieldSpec, clean_fields, plain_text
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import BadUserInput, Forbidden, NotFound
from subgraphs.common.events.topics import CLINICAL_EVENTS
from subgraphs.common.outbox import record_event

__all__ = [
    "MAX_SLOT_RANGE",
    "SCHEDULING_STAFF_ROLES",
    "DoctorAvailability",
    "WeeklyHours",
    "add_schedule_exception",
    "available_slots",
    "doctor_availability",
    "doctors_availability",
    "get_schedule",
    "remove_schedule_exception",
    "require_aware",
    "set_schedule",
    "slots_of_doctors",
]

SCHEDULE_TOPIC = CLINICAL_EVENTS.name
MAX_SLOT_RANGE = timedelta(days=31)
MIN_APPOINTMENT_MINUTES = 5
MAX_APPOINTMENT_MINUTES = 480
# Staff who keep the doctors' diaries (working hours and exceptions).
SCHEDULING_STAFF_ROLES: frozenset[StaffRole] = frozenset({StaffRole.RECEPTIONIST})


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """One block of weekly hours as given by the caller (local time in the schedule's zone)."""

    weekday: Weekday
    starts_at: time
    ends_at: time


@dataclass(frozen=True, slots=True)
class DoctorAvailability:
    """A doctor's schedule and their working windows over a span (empty without a schedule)."""

    doctor: Doctor
    schedule: DoctorSchedule | None
    windows: list[Interval]


async def _schedule_event(
    session: AsyncSession,
    event: str,
    caller: Caller,
    doctor_id: uuid.UUID,
    payload: dict[str, Any],
) -> None:
    await record_event(
        session,
        topic=SCHEDULE_TOPIC,
        type=event,
        aggregate_type="doctor",
        aggregate_id=str(doctor_id),
        actor=caller.actor,
        payload={"doctorId": str(doctor_id), **payload},
    )


def require_aware(value: datetime, field: str) -> datetime:
    """``value`` in UTC; BAD_USER_INPUT when it carries no UTC offset."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise BadUserInput(
            f"{field} must include a UTC offset (e.g. 2030-01-07T09:00:00+01:00).",
            extensions={"field": field},
        )
    return value.astimezone(UTC)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadUserInput(
            f"{name!r} is not an IANA time zone (e.g. Europe/London).",
            extensions={"field": "timeZone"},
        ) from None


async def _require_schedule_manager(
    session: AsyncSession, caller: Caller, doctor_id: uuid.UUID
) -> Doctor:
    """ADMIN, the front desk (receptionists keep the doctors' diaries), or the doctor."""
    role = caller.require_role(Role.ADMIN, Role.DOCTOR, Role.STAFF)
    if role is Role.DOCTOR and (await resolve_principal(session, caller)).doctor_id != doctor_id:
        raise Forbidden("Doctors may change only their own schedule.")
    if role is Role.STAFF and (
        (await resolve_principal(session, caller)).staff_role not in SCHEDULING_STAFF_ROLES
    ):
        raise Forbidden("Only the front desk may change doctors' schedules.")
    return await active_person(session, DOCTORS, doctor_id)


def _check_hours(hours: Sequence[WeeklyHours]) -> None:
    errors: list[str] = []
    by_day: dict[Weekday, list[WeeklyHours]] = {}
    for block in hours:
        if block.ends_at <= block.starts_at:
            errors.append(
                f"{block.weekday.value} {block.starts_at}-{block.ends_at} ends before it starts"
            )
        by_day.setdefault(block.weekday, []).append(block)
    for day, blocks in by_day.items():
        ordered = sorted(blocks, key=lambda b: b.starts_at)
        errors.extend(
            f"{day.value} {a.starts_at}-{a.ends_at} overlaps {b.starts_at}-{b.ends_at}"
            for a, b in pairwise(ordered)
            if b.starts_at < a.ends_at
        )
    if errors:
        raise BadUserInput(
            f"Invalid weekly hours: {'; '.join(errors)}.", extensions={"field": "weeklyHours"}
        )


async def set_schedule(
    session: AsyncSession,
    *,
    caller: Caller,
    doctor_id: uuid.UUID,
    time_zone: str,
    appointment_minutes: int,
    weekly_hours: Sequence[WeeklyHours],
    now: datetime | None = None,
) -> DoctorSchedule:
    """Replace a doctor's time zone, default appointment length and weekly hours.

    Existing appointments stay booked even if they now fall outside the hours.
    """
    await _require_schedule_manager(session, caller, doctor_id)
    zone = _zone(time_zone.strip())
    if not MIN_APPOINTMENT_MINUTES <= appointment_minutes <= MAX_APPOINTMENT_MINUTES:
        raise BadUserInput(
            f"appointmentMinutes must be between {MIN_APPOINTMENT_MINUTES} and "
            f"{MAX_APPOINTMENT_MINUTES}.",
            extensions={"field": "appointmentMinutes"},
        )
    _check_hours(weekly_hours)
    when = now or datetime.now(UTC)
    schedule = (
        await session.exec(
            select(DoctorSchedule).where(DoctorSchedule.doctor_id == doctor_id).with_for_update()
        )
    ).first()
    if schedule is None:
        schedule = DoctorSchedule(
            doctor_id=doctor_id,
            time_zone=zone.key,
            appointment_minutes=appointment_minutes,
            updated_at=when,
            updated_by=caller.actor,
        )
    else:
        schedule.time_zone = zone.key
        schedule.appointment_minutes = appointment_minutes
        schedule.version += 1
        schedule.updated_at = when
        schedule.updated_by = caller.actor
    session.add(schedule)
    connection = await session.connection()
    await connection.execute(delete(WorkingHours).where(col(WorkingHours.doctor_id) == doctor_id))
    session.add_all(
        WorkingHours(
            doctor_id=doctor_id, weekday=h.weekday.iso, starts_at=h.starts_at, ends_at=h.ends_at
        )
        for h in weekly_hours
    )
    await session.flush()
    await _schedule_event(
        session,
        "schedule.updated",
        caller,
        doctor_id,
        {
            "timeZone": zone.key,
            "appointmentMinutes": appointment_minutes,
            "weeklyHours": [
                {
                    "weekday": h.weekday.value,
                    "startsAt": h.starts_at.isoformat(),
                    "endsAt": h.ends_at.isoformat(),
                }
                for h in weekly_hours
            ],
            "version": schedule.version,
        },
    )
    return schedule


async def add_schedule_exception(
    session: AsyncSession,
    *,
    caller: Caller,
    doctor_id: uuid.UUID,
    on_date: date,
    kind: ExceptionKind,
    starts_at: time | None = None,
    ends_at: time | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> ScheduleException:
    """A day off (no times), time off, or extra hours on one local date of the doctor's zone."""
    await _require_schedule_manager(session, caller, doctor_id)
    schedule = await session.get(DoctorSchedule, doctor_id)
    if schedule is None:
        raise BadUserInput("Set the doctor's weekly schedule (and time zone) first.")
    cleaned = clean_fields(
        {"reason": FieldSpec(plain_text(200))}, {"reason": reason}, creating=False
    )
    when = now or datetime.now(UTC)
    today = when.astimezone(ZoneInfo(schedule.time_zone)).date()
    if on_date < today:
        raise BadUserInput("The date is in the past.", extensions={"field": "date"})
    if (starts_at is None) != (ends_at is None):
        raise BadUserInput(
            "Give both startsAt and endsAt, or neither.", extensions={"field": "startsAt"}
        )
    if starts_at is None and kind is ExceptionKind.EXTRA_HOURS:
        raise BadUserInput(
            "Extra hours need startsAt and endsAt.", extensions={"field": "startsAt"}
        )
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise BadUserInput("endsAt must be after startsAt.", extensions={"field": "endsAt"})
    row = ScheduleException(
        doctor_id=doctor_id,
        on_date=on_date,
        kind=kind.value,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=cleaned.get("reason"),
        created_at=when,
        created_by=caller.actor,
    )
    session.add(row)
    await session.flush()
    await _schedule_event(
        session,
        "schedule.exception_added",
        caller,
        doctor_id,
        {
            "exceptionId": str(row.id),
            "date": on_date.isoformat(),
            "kind": kind.value,
            "startsAt": starts_at.isoformat() if starts_at else None,
            "endsAt": ends_at.isoformat() if ends_at else None,
        },
    )
    return row


async def remove_schedule_exception(
    session: AsyncSession, *, caller: Caller, exception_id: uuid.UUID
) -> None:
    """Delete a schedule exception (ADMIN or the doctor)."""
    row = await session.get(ScheduleException, exception_id)
    if row is None:
        raise NotFound("No such schedule exception.")
    await _require_schedule_manager(session, caller, row.doctor_id)
    await session.delete(row)
    await session.flush()
    await _schedule_event(
        session,
        "schedule.exception_removed",
        caller,
        row.doctor_id,
        {"exceptionId": str(exception_id)},
    )


async def get_schedule(
    session: AsyncSession,
    *,
    caller: Caller,
    doctor_id: uuid.UUID,
    exceptions_from: date | None = None,
) -> tuple[DoctorSchedule | None, list[WorkingHours], list[ScheduleException]]:
    """A doctor's schedule, weekly hours and exceptions from ``exceptions_from`` (default: all)."""
    caller.require_authenticated()
    if await session.get(Doctor, doctor_id) is None:
        raise NotFound("No such doctor.")
    schedule = await session.get(DoctorSchedule, doctor_id)
    hours = await session.exec(
        select(WorkingHours)
        .where(WorkingHours.doctor_id == doctor_id)
        .order_by(col(WorkingHours.weekday), col(WorkingHours.starts_at))
    )
    exceptions = select(ScheduleException).where(ScheduleException.doctor_id == doctor_id)
    if exceptions_from is not None:
        exceptions = exceptions.where(col(ScheduleException.on_date) >= exceptions_from)
    found = await session.exec(
        exceptions.order_by(col(ScheduleException.on_date), col(ScheduleException.starts_at))
    )
    return schedule, list(hours.all()), list(found.all())


async def doctors_availability(
    session: AsyncSession, *, doctor_ids: Sequence[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, DoctorAvailability | NotFound]:
    """Each doctor's working windows over ``[start, end)`` in four queries (NOT_FOUND if unknown)."""
    wanted = list(dict.fromkeys(doctor_ids))
    doctors = {
        d.id: d
        for d in (await session.exec(select(Doctor).where(col(Doctor.id).in_(wanted)))).all()
    }
    schedules = {
        s.doctor_id: s
        for s in (
            await session.exec(
                select(DoctorSchedule).where(col(DoctorSchedule.doctor_id).in_(list(doctors)))
            )
        ).all()
    }
    scheduled = list(schedules)
    hours = (
        await session.exec(select(WorkingHours).where(col(WorkingHours.doctor_id).in_(scheduled)))
    ).all()
    # Local dates lie within a day of UTC ones; each doctor's own span is cut below.
    exceptions = (
        await session.exec(
            select(ScheduleException).where(
                col(ScheduleException.doctor_id).in_(scheduled),
                col(ScheduleException.on_date).between(
                    start.astimezone(UTC).date() - timedelta(days=2),
                    end.astimezone(UTC).date() + timedelta(days=2),
                ),
            )
        )
    ).all()
    answers: dict[uuid.UUID, DoctorAvailability | NotFound] = {}
    for doctor_id in wanted:
        doctor = doctors.get(doctor_id)
        schedule = schedules.get(doctor_id)
        if doctor is None:
            answers[doctor_id] = NotFound("No such doctor.")
            continue
        if schedule is None:
            answers[doctor_id] = DoctorAvailability(doctor, None, [])
            continue
        zone = ZoneInfo(schedule.time_zone)
        first = start.astimezone(zone).date() - timedelta(days=1)
        last = end.astimezone(zone).date() + timedelta(days=1)
        own = [e for e in exceptions if e.doctor_id == doctor_id and first <= e.on_date <= last]

        def rules(kind: ExceptionKind, own: list[ScheduleException] = own) -> list[DayRule]:
            return [
                DayRule(e.starts_at, e.ends_at, on_date=e.on_date) for e in own if e.kind == kind
            ]

        windows = working_windows(
            zone=zone,
            weekly=[
                DayRule(h.starts_at, h.ends_at, weekday=h.weekday)
                for h in hours
                if h.doctor_id == doctor_id
            ],
            extra=rules(ExceptionKind.EXTRA_HOURS),
            unavailable=rules(ExceptionKind.UNAVAILABLE),
            start=start,
            end=end,
        )
        answers[doctor_id] = DoctorAvailability(doctor, schedule, windows)
    return answers


async def doctor_availability(
    session: AsyncSession, *, doctor_id: uuid.UUID, start: datetime, end: datetime
) -> DoctorAvailability:
    """The doctor's working windows over ``[start, end)`` (NOT_FOUND for an unknown doctor)."""
    found = await doctors_availability(session, doctor_ids=[doctor_id], start=start, end=end)
    return single(found, doctor_id)


async def slots_of_doctors(
    session: AsyncSession,
    *,
    caller: Caller,
    doctor_ids: Sequence[uuid.UUID],
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> dict[uuid.UUID, list[Interval] | NotFound]:
    """Each doctor's free slots of their default length in ``[start, end)``, in five queries.

    Working time minus bookings; the span must be at most 31 days; slots in the past are left
    out; a doctor without a schedule (or archived) has none.
    """
    caller.require_authenticated()
    start = require_aware(start, "from")
    end = require_aware(end, "to")
    if end <= start:
        raise BadUserInput("to must be after from.", extensions={"field": "to"})
    if end - start > MAX_SLOT_RANGE:
        raise BadUserInput(
            f"Ask for at most {MAX_SLOT_RANGE.days} days of slots at a time.",
            extensions={"field": "to"},
        )
    found = await doctors_availability(session, doctor_ids=doctor_ids, start=start, end=end)
    open_ = [
        doctor_id
        for doctor_id, a in found.items()
        if isinstance(a, DoctorAvailability)
        and a.schedule is not None
        and a.doctor.archived_at is None
    ]
    busy = (
        await session.exec(
            select(Appointment.doctor_id, Appointment.starts_at, Appointment.ends_at).where(
                col(Appointment.doctor_id).in_(open_),
                col(Appointment.status).in_([s.value for s in ACTIVE_STATUSES]),
                func.tstzrange(Appointment.starts_at, Appointment.ends_at, "[)").op("&&")(
                    func.tstzrange(start, end, "[)")
                ),
            )
        )
    ).all()
    answers: dict[uuid.UUID, list[Interval] | NotFound] = {}
    for doctor_id, availability in found.items():
        if isinstance(availability, NotFound) or doctor_id not in open_:
            answers[doctor_id] = availability if isinstance(availability, NotFound) else []
            continue
        assert availability.schedule is not None
        answers[doctor_id] = free_slots(
            availability.windows,
            [Interval(s, e) for d, s, e in busy if d == doctor_id],
            length=timedelta(minutes=availability.schedule.appointment_minutes),
            not_before=now or datetime.now(UTC),
        )
    return answers


async def available_slots(
    session: AsyncSession,
    *,
    caller: Caller,
    doctor_id: uuid.UUID,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> list[Interval]:
    """Free slots of the doctor's default length in ``[start, end)`` (see :func:`slots_of_doctors`)."""
    found = await slots_of_doctors(
        session, caller=caller, doctor_ids=[doctor_id], start=start, end=end, now=now
    )
    return single(found, doctor_id)
