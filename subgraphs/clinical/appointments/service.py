"""Appointments, the domain's public face: booking without double booking, the visit, reads.

PostgreSQL enforces "no overlap" itself (exclusion constraints of migration clinical_0002), so it
holds across processes and replicas; a violation becomes a CONFLICT naming every conflicting
time. Booking and rescheduling own their transaction and re-run it whole after a deadlock or a
serialization failure (:meth:`Database.transact`); a busy database answers SERVICE_UNAVAILABLE.
Events go to ``clinical.appointments`` through the outbox, in the same transaction.

Where each rule lives: :mod:`.booking` (book, reschedule), :mod:`.idempotency` (retried
requests), :mod:`.overbook` and :mod:`.conflicts` (overlaps), :mod:`.requested` (times and
reasons), :mod:`.permissions` (who may), :mod:`.transitions` (the visit's status),
:mod:`.journal` (history and events), :mod:`.queries` (reads).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from subgraphs.clinical.appointments import booking
from subgraphs.clinical.appointments.conflicts import ConflictingAppointment, find_conflicts
from subgraphs.clinical.appointments.idempotency import clean_key
from subgraphs.clinical.appointments.journal import APPOINTMENTS_TOPIC
from subgraphs.clinical.appointments.models import Appointment
from subgraphs.clinical.appointments.queries import (
    AppointmentOwner,
    appointment_history,
    appointments_of,
    list_appointments,
    read_appointments,
)
from subgraphs.clinical.appointments.requested import BOOKING_HORIZON, now_or
from subgraphs.clinical.appointments.transitions import (
    cancel_appointment,
    check_in_appointment,
    complete_appointment,
    mark_no_show,
)
from subgraphs.common.context import Caller
from subgraphs.common.database import Database

__all__ = [
    "APPOINTMENTS_TOPIC",
    "BOOKING_HORIZON",
    "AppointmentOwner",
    "ConflictingAppointment",
    "appointment_history",
    "appointments_of",
    "book_appointment",
    "cancel_appointment",
    "check_in_appointment",
    "complete_appointment",
    "find_conflicts",
    "list_appointments",
    "mark_no_show",
    "read_appointments",
    "reschedule_appointment",
]


async def book_appointment(
    database: Database,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    doctor_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime | None = None,
    reason: str | None = None,
    overbook: bool = False,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Book ``[starts_at, ends_at)`` (default: the doctor's appointment length), in its own
    transaction, re-run after a deadlock.

    BAD_USER_INPUT for times in the past, outside working hours or malformed; NOT_FOUND for
    unknown ids; CONFLICT naming every overlapping appointment. ``overbook`` (ADMIN or the doctor
    themself) books over the doctor's existing appointments and records ``appointment.overbooked``.
    ``idempotency_key``: the same caller sending the same request with the same key gets the
    booking it made the first time; another request with that key is IDEMPOTENCY_KEY_REUSED.
    """
    key = clean_key(idempotency_key)
    when = now_or(now)
    return await database.transact(
        lambda session: booking.book(
            session,
            caller=caller,
            patient_id=patient_id,
            doctor_id=doctor_id,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            overbook=overbook,
            idempotency_key=key,
            when=when,
        )
    )


async def reschedule_appointment(
    database: Database,
    *,
    caller: Caller,
    appointment_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime | None = None,
    reason: str | None = None,
    overbook: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Move a BOOKED appointment (same length unless ``ends_at`` is given), with the booking's
    rules, in its own transaction, re-run after a deadlock."""
    when = now_or(now)
    return await database.transact(
        lambda session: booking.reschedule(
            session,
            caller=caller,
            appointment_id=appointment_id,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            overbook=overbook,
            when=when,
        )
    )
