"""Booking, rescheduling, cancelling and the visit's status, without double booking.

PostgreSQL enforces "no overlap" itself (exclusion constraints of migration clinical_0002), so it
holds across processes and replicas; this module turns a violation into a CONFLICT naming every
conflicting time. Events go to ``clinical.appointments``; every change adds a status-history row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.audit import AccessedRecord, record_access
from subgraphs.clinical.access.care import link_doctor_to_patient
from subgraphs.clinical.access.models import CareSource
from subgraphs.clinical.access.policy import (
    AccessDecision,
    AccessPurpose,
    authorize_patient_access,
    authorize_patients_access,
    decisions_by_patient,
    visible_patients,
)
from subgraphs.clinical.access.principal import Principal, resolve_principal
from subgraphs.clinical.access.scopes import Scope
from subgraphs.clinical.appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    AppointmentStatusChange,
)
from subgraphs.clinical.availability.service import doctor_availability, require_aware
from subgraphs.clinical.availability.windows import Interval, covers
from subgraphs.clinical.constraints import EXCLUSION_VIOLATION, violation
from subgraphs.clinical.pagination import Keyset, Page, paginate
from subgraphs.clinical.people.service import DOCTORS, PATIENTS, active_person
from subgraphs.clinical.validation import FieldSpec, clean_fields, plain_text
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import BadUserInput, Conflict, DomainError, Forbidden, NotFound
from subgraphs.common.events.topics import CLINICAL_APPOINTMENTS
from subgraphs.common.outbox import record_event

__all__ = [
    "APPOINTMENTS_TOPIC",
    "BOOKING_HORIZON",
    "ConflictingAppointment",
    "appointment_history",
    "book_appointment",
    "cancel_appointment",
    "check_in_appointment",
    "complete_appointment",
    "list_appointments",
    "mark_no_show",
    "read_appointments",
    "reschedule_appointment",
]

APPOINTMENTS_TOPIC = CLINICAL_APPOINTMENTS.name
BOOKING_HORIZON = timedelta(days=730)
MIN_LENGTH = timedelta(minutes=5)
MAX_LENGTH = timedelta(hours=8)
CHECK_IN_WINDOW = timedelta(hours=2)
_ACTIVE = [status.value for status in ACTIVE_STATUSES]
_MANAGERS = frozenset({Role.ADMIN, Role.STAFF, Role.DOCTOR, Role.PATIENT})
_DESK = frozenset({Role.ADMIN, Role.STAFF, Role.DOCTOR})


@dataclass(frozen=True, slots=True)
class ConflictingAppointment:
    """An active appointment overlapping a requested time, for the doctor, the patient, or both."""

    appointment_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    doctor: bool
    patient: bool

    def describe(self, *, reveal_id: bool) -> dict[str, Any]:
        found: dict[str, Any] = {
            "startsAt": self.starts_at.isoformat(),
            "endsAt": self.ends_at.isoformat(),
            "with": [
                kind for kind, hit in (("DOCTOR", self.doctor), ("PATIENT", self.patient)) if hit
            ],
        }
        if reveal_id:
            found["appointmentId"] = str(self.appointment_id)
        return found


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _reason(value: str | None, *, required: bool = False) -> str | None:
    cleaned = clean_fields(
        {"reason": FieldSpec(plain_text(500, multiline=True), required=required)},
        {"reason": value},
        creating=required,
    )
    reason: str | None = cleaned.get("reason")
    return reason


# ------------------------------------------------------------------ who may do what


async def _authorize(
    session: AsyncSession,
    caller: Caller,
    *,
    patient_id: uuid.UUID,
    doctor_id: uuid.UUID,
    roles: frozenset[Role] = _MANAGERS,
) -> tuple[Principal, AccessDecision]:
    """The caller may act on appointments between this patient and doctor.

    PATIENT: their own only; DOCTOR: their own schedule, for patients in their care; STAFF and
    ADMIN: anyone's. Unknown patients are NOT_FOUND.
    """
    principal = await resolve_principal(session, caller)
    if principal.role not in roles:
        raise Forbidden("Your role may not do this to an appointment.")
    decision = await authorize_patient_access(
        session, caller, patient_id, purpose=AccessPurpose.APPOINTMENTS
    )
    if principal.role is Role.DOCTOR and principal.doctor_id != doctor_id:
        raise Forbidden("Doctors manage only the appointments in their own schedule.")
    return principal, decision


def _may_overbook(principal: Principal, doctor_id: uuid.UUID) -> bool:
    """ADMIN or the doctor themself, holding the ``appointments:overbook`` scope."""
    if not principal.caller.has_scopes(Scope.APPOINTMENTS_OVERBOOK.value):
        return False
    return principal.role is Role.ADMIN or (
        principal.role is Role.DOCTOR and principal.doctor_id == doctor_id
    )


# ------------------------------------------------------------------ the requested time


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


async def _check_bookable(
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


# ------------------------------------------------------------------ conflicts


async def find_conflicts(
    session: AsyncSession,
    *,
    doctor_id: uuid.UUID,
    patient_id: uuid.UUID,
    interval: Interval,
    excluding: uuid.UUID | None = None,
) -> list[ConflictingAppointment]:
    """Every active appointment overlapping ``interval`` that blocks this doctor or patient."""
    overlapping = func.tstzrange(Appointment.starts_at, Appointment.ends_at, "[)").op("&&")(
        func.tstzrange(interval.start, interval.end, "[)")
    )
    statement = (
        select(Appointment)
        .where(
            col(Appointment.status).in_(_ACTIVE),
            overlapping,
            ((col(Appointment.doctor_id) == doctor_id) & col(Appointment.overbooked).is_(False))
            | (col(Appointment.patient_id) == patient_id),
        )
        .order_by(col(Appointment.starts_at))
    )
    if excluding is not None:
        statement = statement.where(col(Appointment.id) != excluding)
    return [
        ConflictingAppointment(
            row.id,
            row.starts_at,
            row.ends_at,
            doctor=row.doctor_id == doctor_id and not row.overbooked,
            patient=row.patient_id == patient_id,
        )
        for row in (await session.exec(statement)).all()
    ]


def _conflict_error(conflicts: Sequence[ConflictingAppointment], principal: Principal) -> Conflict:
    described = [
        c.describe(reveal_id=c.patient or principal.role is not Role.PATIENT) for c in conflicts
    ]
    times = ", ".join(
        f"{c.starts_at.isoformat()} to {c.ends_at.isoformat()} "
        f"({' and '.join(k.lower() for k in d['with'])})"
        for c, d in zip(conflicts, described, strict=True)
    )
    return Conflict(
        f"The time conflicts with {len(conflicts)} appointment(s): {times}."
        if conflicts
        else "The time conflicts with another appointment.",
        extensions={"conflicts": described},
    )


async def _write_without_overlap(
    session: AsyncSession,
    statement: Any,
    *,
    principal: Principal,
    doctor_id: uuid.UUID,
    patient_id: uuid.UUID,
    interval: Interval,
    appointment_id: uuid.UUID,
    overbook: bool,
    overbooked_statement: Any,
) -> list[ConflictingAppointment]:
    """Run ``statement``; on an overlap, overbook (when asked and allowed) or raise CONFLICT.

    Returns the doctor's conflicts that were overbooked (empty for a normal booking).
    """
    try:
        async with session.begin_nested():
            await (await session.connection()).execute(statement)
    except IntegrityError as error:
        if violation(error).sqlstate != EXCLUSION_VIOLATION:
            raise
    else:
        return []
    conflicts = await find_conflicts(
        session,
        doctor_id=doctor_id,
        patient_id=patient_id,
        interval=interval,
        excluding=appointment_id,
    )
    if not overbook or any(c.patient for c in conflicts):
        # A patient can never be in two places; overbooking only lifts the doctor's limit.
        raise _conflict_error(conflicts, principal)
    try:
        async with session.begin_nested():
            await (await session.connection()).execute(overbooked_statement)
    except IntegrityError as error:
        if violation(error).sqlstate != EXCLUSION_VIOLATION:
            raise
        raise _conflict_error(
            await find_conflicts(
                session,
                doctor_id=doctor_id,
                patient_id=patient_id,
                interval=interval,
                excluding=appointment_id,
            ),
            principal,
        ) from None
    return conflicts


# ------------------------------------------------------------------ events and history


def _payload(row: Appointment, **extra: Any) -> dict[str, Any]:
    return {
        "appointmentId": str(row.id),
        "patientId": str(row.patient_id),
        "doctorId": str(row.doctor_id),
        "startsAt": row.starts_at.isoformat(),
        "endsAt": row.ends_at.isoformat(),
        "status": row.status,
        "overbooked": row.overbooked,
        "version": row.version,
        **extra,
    }


async def _record(
    session: AsyncSession,
    row: Appointment,
    *,
    event: str,
    actor: str,
    from_status: str | None,
    reason: str | None,
    when: datetime,
    previous: Interval | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    session.add(
        AppointmentStatusChange(
            appointment_id=row.id,
            from_status=from_status,
            to_status=row.status,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            previous_starts_at=previous.start if previous else None,
            previous_ends_at=previous.end if previous else None,
            overbooked=row.overbooked,
            reason=reason,
            actor=actor,
            changed_at=when,
        )
    )
    await session.flush()
    await record_event(
        session,
        topic=APPOINTMENTS_TOPIC,
        type=f"appointment.{event}",
        aggregate_type="appointment",
        aggregate_id=str(row.id),
        actor=actor,
        payload=_payload(row, **(extra or {})),
    )


def _conflict_payload(conflicts: Sequence[ConflictingAppointment]) -> dict[str, Any]:
    return {"overbookedOver": [c.describe(reveal_id=True) for c in conflicts]}


async def _record_overbooking(
    session: AsyncSession,
    row: Appointment,
    actor: str,
    conflicts: Sequence[ConflictingAppointment],
) -> None:
    """The deliberate overbook, as its own ``appointment.overbooked`` event."""
    await record_event(
        session,
        topic=APPOINTMENTS_TOPIC,
        type="appointment.overbooked",
        aggregate_type="appointment",
        aggregate_id=str(row.id),
        actor=actor,
        payload=_payload(row, **_conflict_payload(conflicts)),
    )


# ------------------------------------------------------------------ booking


async def book_appointment(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    doctor_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime | None = None,
    reason: str | None = None,
    overbook: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Book ``[starts_at, ends_at)`` (default: the doctor's appointment length).

    BAD_USER_INPUT for times in the past, outside working hours or malformed; NOT_FOUND for
    unknown ids; CONFLICT naming every overlapping appointment. ``overbook`` (ADMIN or the doctor
    themself) books over the doctor's existing appointments and records ``appointment.overbooked``.
    """
    when = _now(now)
    visit_reason = _reason(reason)
    await active_person(session, DOCTORS, doctor_id)
    principal, _ = await _authorize(session, caller, patient_id=patient_id, doctor_id=doctor_id)
    if overbook and not _may_overbook(principal, doctor_id):
        raise Forbidden("Only an administrator or the doctor may overbook.")
    await active_person(session, PATIENTS, patient_id)
    interval = await _check_bookable(
        session,
        doctor_id=doctor_id,
        starts_at=starts_at,
        ends_at=ends_at,
        keep_length=None,
        now=when,
    )
    row = Appointment(
        patient_id=patient_id,
        doctor_id=doctor_id,
        starts_at=interval.start,
        ends_at=interval.end,
        status=AppointmentStatus.BOOKED.value,
        reason=visit_reason,
        created_at=when,
        created_by=caller.actor,
        updated_at=when,
        updated_by=caller.actor,
    )
    values = row.model_dump()
    overbooked_over = await _write_without_overlap(
        session,
        insert(Appointment).values(**values),
        principal=principal,
        doctor_id=doctor_id,
        patient_id=patient_id,
        interval=interval,
        appointment_id=row.id,
        overbook=overbook,
        overbooked_statement=insert(Appointment).values(**{**values, "overbooked": True}),
    )
    row.overbooked = bool(overbooked_over)
    await link_doctor_to_patient(
        session,
        doctor_id=doctor_id,
        patient_id=patient_id,
        source=CareSource.APPOINTMENT,
        actor=caller.actor,
        now=when,
    )
    await _record(
        session,
        row,
        event="booked",
        actor=caller.actor,
        from_status=None,
        reason=visit_reason,
        when=when,
    )
    if overbooked_over:
        await _record_overbooking(session, row, caller.actor, overbooked_over)
    return row


async def _locked(session: AsyncSession, appointment_id: uuid.UUID) -> Appointment:
    row = (
        await session.exec(
            select(Appointment).where(Appointment.id == appointment_id).with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("No such appointment.")
    return row


async def _authorized_row(
    session: AsyncSession, caller: Caller, appointment_id: uuid.UUID, roles: frozenset[Role]
) -> tuple[Appointment, Principal]:
    row = await _locked(session, appointment_id)
    try:
        principal, _ = await _authorize(
            session, caller, patient_id=row.patient_id, doctor_id=row.doctor_id, roles=roles
        )
    except NotFound:
        raise NotFound("No such appointment.") from None
    return row, principal


def _require_status(row: Appointment, *allowed: AppointmentStatus, action: str) -> None:
    if row.status not in {status.value for status in allowed}:
        raise Conflict(
            f"A {row.status} appointment cannot be {action}.",
            extensions={"status": row.status},
        )


async def reschedule_appointment(
    session: AsyncSession,
    *,
    caller: Caller,
    appointment_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime | None = None,
    reason: str | None = None,
    overbook: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Move a BOOKED appointment (same length unless ``ends_at`` is given), with the same rules."""
    when = _now(now)
    change_reason = _reason(reason)
    row, principal = await _authorized_row(session, caller, appointment_id, _MANAGERS)
    _require_status(row, AppointmentStatus.BOOKED, action="rescheduled")
    if overbook and not _may_overbook(principal, row.doctor_id):
        raise Forbidden("Only an administrator or the doctor may overbook.")
    previous = Interval(row.starts_at, row.ends_at)
    interval = await _check_bookable(
        session,
        doctor_id=row.doctor_id,
        starts_at=starts_at,
        ends_at=ends_at,
        keep_length=previous.end - previous.start,
        now=when,
    )
    if interval == previous:
        return row
    values = {
        "starts_at": interval.start,
        "ends_at": interval.end,
        "version": row.version + 1,
        "updated_at": when,
        "updated_by": caller.actor,
    }
    moved = update(Appointment).where(col(Appointment.id) == row.id)
    overbooked_over = await _write_without_overlap(
        session,
        moved.values(**values, overbooked=False),
        principal=principal,
        doctor_id=row.doctor_id,
        patient_id=row.patient_id,
        interval=interval,
        appointment_id=row.id,
        overbook=overbook,
        overbooked_statement=moved.values(**values, overbooked=True),
    )
    await session.refresh(row)
    extra = {
        "previousStartsAt": previous.start.isoformat(),
        "previousEndsAt": previous.end.isoformat(),
        **(_conflict_payload(overbooked_over) if overbooked_over else {}),
    }
    await _record(
        session,
        row,
        event="rescheduled",
        actor=caller.actor,
        from_status=row.status,
        reason=change_reason,
        when=when,
        previous=previous,
        extra=extra,
    )
    if overbooked_over:
        await _record_overbooking(session, row, caller.actor, overbooked_over)
    return row


def _no_timing(_: Appointment, __: datetime) -> str | None:
    return None


def _check_in_timing(row: Appointment, when: datetime) -> str | None:
    if when < row.starts_at - CHECK_IN_WINDOW:
        return "Check-in opens two hours before the appointment."
    if when >= row.ends_at:
        return "The appointment is over: complete it or mark it as a no-show."
    return None


def _after_start(message: str) -> Callable[[Appointment, datetime], str | None]:
    return lambda row, when: message if when < row.starts_at else None


@dataclass(frozen=True, slots=True)
class _Step:
    """One status change of a visit: target, event, who, from which statuses, and when."""

    to: AppointmentStatus
    event: str
    action: str
    allowed_from: frozenset[AppointmentStatus]
    roles: frozenset[Role]
    timing: Callable[[Appointment, datetime], str | None] = _no_timing


_BOOKED_ONLY = frozenset({AppointmentStatus.BOOKED})
_CANCEL = _Step(AppointmentStatus.CANCELLED, "cancelled", "cancelled", ACTIVE_STATUSES, _MANAGERS)
_CHECK_IN = _Step(
    AppointmentStatus.CHECKED_IN, "checked_in", "checked in", _BOOKED_ONLY, _DESK, _check_in_timing
)
_COMPLETE = _Step(
    AppointmentStatus.COMPLETED,
    "completed",
    "completed",
    ACTIVE_STATUSES,
    _DESK,
    _after_start("An appointment cannot be completed before it starts."),
)
_NO_SHOW = _Step(
    AppointmentStatus.NO_SHOW,
    "no_show",
    "marked as a no-show",
    _BOOKED_ONLY,
    _DESK,
    _after_start("A patient can be a no-show only after the appointment's start."),
)


async def _step(
    session: AsyncSession,
    step: _Step,
    *,
    caller: Caller,
    appointment_id: uuid.UUID,
    reason: str | None,
    now: datetime | None,
) -> Appointment:
    when = _now(now)
    row, _ = await _authorized_row(session, caller, appointment_id, step.roles)
    _require_status(row, *step.allowed_from, action=step.action)
    problem = step.timing(row, when)
    if problem:
        raise BadUserInput(problem)
    from_status = row.status
    row.status = step.to.value
    if step.to is AppointmentStatus.CANCELLED:
        row.cancellation_reason = reason
    row.version += 1
    row.updated_at = when
    row.updated_by = caller.actor
    session.add(row)
    await session.flush()
    await _record(
        session,
        row,
        event=step.event,
        actor=caller.actor,
        from_status=from_status,
        reason=reason,
        when=when,
    )
    return row


async def cancel_appointment(
    session: AsyncSession,
    *,
    caller: Caller,
    appointment_id: uuid.UUID,
    reason: str,
    now: datetime | None = None,
) -> Appointment:
    """Cancel a BOOKED or CHECKED_IN appointment; the reason is required and recorded."""
    stated = _reason(reason, required=True)
    return await _step(
        session, _CANCEL, caller=caller, appointment_id=appointment_id, reason=stated, now=now
    )


async def check_in_appointment(
    session: AsyncSession, *, caller: Caller, appointment_id: uuid.UUID, now: datetime | None = None
) -> Appointment:
    """The patient has arrived: from two hours before the start until the appointment ends."""
    return await _step(
        session, _CHECK_IN, caller=caller, appointment_id=appointment_id, reason=None, now=now
    )


async def complete_appointment(
    session: AsyncSession, *, caller: Caller, appointment_id: uuid.UUID, now: datetime | None = None
) -> Appointment:
    """The visit happened (from its start time on)."""
    return await _step(
        session, _COMPLETE, caller=caller, appointment_id=appointment_id, reason=None, now=now
    )


async def mark_no_show(
    session: AsyncSession, *, caller: Caller, appointment_id: uuid.UUID, now: datetime | None = None
) -> Appointment:
    """The patient did not come (a BOOKED appointment, once its start time has passed)."""
    return await _step(
        session, _NO_SHOW, caller=caller, appointment_id=appointment_id, reason=None, now=now
    )


# ------------------------------------------------------------------ reads


async def read_appointments(
    session: AsyncSession, *, caller: Caller, appointment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Appointment | DomainError]:
    """Appointments by id for a batch, each checked against its patient's access (audited)."""
    caller.require_authenticated()
    found = await session.exec(
        select(Appointment).where(col(Appointment.id).in_(list(appointment_ids)))
    )
    rows = {row.id: row for row in found.all()}
    outcomes = await authorize_patients_access(
        session,
        caller,
        {row.patient_id for row in rows.values()},
        purpose=AccessPurpose.APPOINTMENTS,
    )
    decisions = decisions_by_patient(outcomes)
    allowed = {i: row for i, row in rows.items() if row.patient_id in decisions}
    await record_access(
        session,
        caller,
        decisions.values(),
        records=[
            AccessedRecord("appointment", str(i), row.patient_id) for i, row in allowed.items()
        ],
    )
    results: dict[uuid.UUID, Appointment | DomainError] = {}
    for appointment_id in appointment_ids:
        row = rows.get(appointment_id)
        if row is None:
            results[appointment_id] = NotFound("No such appointment.")
        elif appointment_id in allowed:
            results[appointment_id] = row
        else:
            outcome = outcomes[row.patient_id]
            results[appointment_id] = (
                NotFound("No such appointment.")
                if isinstance(outcome, NotFound)
                else outcome
                if isinstance(outcome, DomainError)
                else Forbidden("You may not see this appointment.")
            )
    return results


_KEYSET: Keyset[Appointment] = Keyset(
    columns=(Appointment.starts_at, Appointment.id),
    parsers=(datetime.fromisoformat, uuid.UUID),
    key=lambda row: (row.starts_at.isoformat(), row.id),
)


async def list_appointments(
    session: AsyncSession,
    *,
    caller: Caller,
    first: int | None = None,
    after: str | None = None,
    doctor_id: uuid.UUID | None = None,
    patient_id: uuid.UUID | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: Sequence[AppointmentStatus] | None = None,
) -> Page[Appointment]:
    """Appointments the caller may see, by start time; filter by doctor, patient, span, status."""
    principal = await resolve_principal(session, caller)
    statement = select(Appointment).where(
        visible_patients(principal, Appointment.patient_id, purpose=AccessPurpose.APPOINTMENTS)
    )
    if doctor_id is not None:
        statement = statement.where(Appointment.doctor_id == doctor_id)
    if patient_id is not None:
        statement = statement.where(Appointment.patient_id == patient_id)
    if start is not None:
        statement = statement.where(col(Appointment.ends_at) > require_aware(start, "from"))
    if end is not None:
        statement = statement.where(col(Appointment.starts_at) < require_aware(end, "to"))
    if statuses:
        statement = statement.where(col(Appointment.status).in_([s.value for s in statuses]))
    page = await paginate(session, statement, _KEYSET, first=first, after=after)
    if page.items:
        outcomes = await authorize_patients_access(
            session,
            caller,
            {row.patient_id for row in page.items},
            purpose=AccessPurpose.APPOINTMENTS,
        )
        await record_access(
            session,
            caller,
            decisions_by_patient(outcomes).values(),
            records=[AccessedRecord("appointment", str(r.id), r.patient_id) for r in page.items],
        )
    return page


async def appointment_history(
    session: AsyncSession, *, appointment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[AppointmentStatusChange]]:
    """Status histories, oldest first (for appointments the caller has already been allowed)."""
    found = await session.exec(
        select(AppointmentStatusChange)
        .where(col(AppointmentStatusChange.appointment_id).in_(list(appointment_ids)))
        .order_by(col(AppointmentStatusChange.position))
    )
    history: dict[uuid.UUID, list[AppointmentStatusChange]] = {i: [] for i in appointment_ids}
    for change in found.all():
        history[change.appointment_id].append(change)
    return history
