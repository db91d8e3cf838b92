"""Booking and rescheduling inside one transaction: the checks, the write, the care link, the journal.

:mod:`subgraphs.clinical.appointments.service` runs these in a transaction it re-runs after a
deadlock; everything here writes through the session, so a re-run never writes twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import insert, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.care import link_doctor_to_patient
from subgraphs.clinical.access.models import CareSource
from subgraphs.clinical.appointments.idempotency import claim_key, request_digest
from subgraphs.clinical.appointments.journal import (
    overbooked_payload,
    record_change,
    record_overbooking,
)
from subgraphs.clinical.appointments.models import Appointment, AppointmentStatus
from subgraphs.clinical.appointments.overbook import write_without_overlap
from subgraphs.clinical.appointments.permissions import (
    MANAGERS,
    authorize,
    authorized_row,
    may_overbook,
)
from subgraphs.clinical.appointments.requested import bookable_interval, clean_reason
from subgraphs.clinical.appointments.transitions import require_status
from subgraphs.clinical.availability.windows import Interval
from subgraphs.clinical.people.service import DOCTORS, PATIENTS, active_person
from subgraphs.common.context import Caller
from subgraphs.common.errors import Forbidden

__all__ = ["book", "reschedule"]


async def book(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    doctor_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime | None,
    reason: str | None,
    overbook: bool,
    idempotency_key: str | None,
    when: datetime,
) -> Appointment:
    """Book ``[starts_at, ends_at)`` in this session's transaction (see ``book_appointment``)."""
    visit_reason = clean_reason(reason)
    await active_person(session, DOCTORS, doctor_id)
    principal, _ = await authorize(session, caller, patient_id=patient_id, doctor_id=doctor_id)
    if overbook and not may_overbook(principal, doctor_id):
        raise Forbidden("Only an administrator or the doctor may overbook.")
    row_id = uuid.uuid4()
    if idempotency_key is not None:
        digest = request_digest(
            {
                "patientId": patient_id,
                "doctorId": doctor_id,
                "startsAt": starts_at,
                "endsAt": ends_at,
                "reason": visit_reason,
                "overbook": overbook,
            }
        )
        made = await claim_key(
            session,
            actor=caller.actor,
            key=idempotency_key,
            digest=digest,
            appointment_id=row_id,
            now=when,
        )
        if made is not None:
            return made
    await active_person(session, PATIENTS, patient_id)
    interval = await bookable_interval(
        session,
        doctor_id=doctor_id,
        starts_at=starts_at,
        ends_at=ends_at,
        keep_length=None,
        now=when,
    )
    row = Appointment(
        id=row_id,
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
    # Before the write: its queue is held from the write to the commit, so that stays short.
    await link_doctor_to_patient(
        session,
        doctor_id=doctor_id,
        patient_id=patient_id,
        source=CareSource.APPOINTMENT,
        actor=caller.actor,
        now=when,
    )
    values = row.model_dump()
    overbooked_over = await write_without_overlap(
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
    await record_change(
        session,
        row,
        event="booked",
        actor=caller.actor,
        from_status=None,
        reason=visit_reason,
        when=when,
    )
    if overbooked_over:
        await record_overbooking(session, row, caller.actor, overbooked_over)
    return row


async def reschedule(
    session: AsyncSession,
    *,
    caller: Caller,
    appointment_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime | None,
    reason: str | None,
    overbook: bool,
    when: datetime,
) -> Appointment:
    """Move a BOOKED appointment in this session's transaction (see ``reschedule_appointment``)."""
    change_reason = clean_reason(reason)
    row, principal = await authorized_row(session, caller, appointment_id, MANAGERS)
    require_status(row, AppointmentStatus.BOOKED, action="rescheduled")
    if overbook and not may_overbook(principal, row.doctor_id):
        raise Forbidden("Only an administrator or the doctor may overbook.")
    previous = Interval(row.starts_at, row.ends_at)
    interval = await bookable_interval(
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
    overbooked_over = await write_without_overlap(
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
        **(overbooked_payload(overbooked_over) if overbooked_over else {}),
    }
    await record_change(
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
        await record_overbooking(session, row, caller.actor, overbooked_over)
    return row
