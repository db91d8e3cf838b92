"""Overlapping appointments: every one that blocks a requested time, and the CONFLICT naming them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.principal import Principal
from subgraphs.clinical.appointments.metrics import BOOKING_CONFLICTS
from subgraphs.clinical.appointments.models import ACTIVE_STATUSES, Appointment
from subgraphs.clinical.availability.windows import Interval
from subgraphs.common.context import Role
from subgraphs.common.errors import Conflict

__all__ = ["ConflictingAppointment", "conflict_error", "find_conflicts"]

_ACTIVE = [status.value for status in ACTIVE_STATUSES]


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


def conflict_error(conflicts: Sequence[ConflictingAppointment], principal: Principal) -> Conflict:
    """CONFLICT naming every conflicting time; a patient sees ids of their own appointments only."""
    BOOKING_CONFLICTS.inc()
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
