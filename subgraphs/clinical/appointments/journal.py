"""What every appointment change leaves behind: a status-history row and an outbox event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.appointments.conflicts import ConflictingAppointment
from subgraphs.clinical.appointments.models import Appointment, AppointmentStatusChange
from subgraphs.clinical.availability.windows import Interval
from subgraphs.clinical.people.models import Doctor, Patient
from subgraphs.common.events.topics import CLINICAL_APPOINTMENTS
from subgraphs.common.outbox import record_event

__all__ = ["APPOINTMENTS_TOPIC", "overbooked_payload", "record_change", "record_overbooking"]

APPOINTMENTS_TOPIC = CLINICAL_APPOINTMENTS.name


async def _user_ids(session: AsyncSession, row: Appointment) -> dict[str, str | None]:
    """The auth accounts of the appointment's patient and doctor (consumers such as billing
    grant their users access by them)."""
    patient = select(Patient.user_id).where(col(Patient.id) == row.patient_id)
    doctor = select(Doctor.user_id).where(col(Doctor.id) == row.doctor_id)
    patient_user, doctor_user = (
        await session.exec(select(patient.scalar_subquery(), doctor.scalar_subquery()))
    ).one()
    return {
        "patientUserId": str(patient_user) if patient_user else None,
        "doctorUserId": str(doctor_user) if doctor_user else None,
    }


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


async def record_change(
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
    """The history row and the ``appointment.<event>`` event, in the change's transaction."""
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
        payload=_payload(row, **await _user_ids(session, row), **(extra or {})),
    )


def overbooked_payload(conflicts: Sequence[ConflictingAppointment]) -> dict[str, Any]:
    return {"overbookedOver": [c.describe(reveal_id=True) for c in conflicts]}


async def record_overbooking(
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
        payload=_payload(row, **await _user_ids(session, row), **overbooked_payload(conflicts)),
    )
