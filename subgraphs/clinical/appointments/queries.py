"""Reading appointments: by id (batched), listed by start time, and their status histories."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from enum import Enum

from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from subgraphs.clinical.access.audit import AccessedRecord, record_access
from subgraphs.clinical.access.policy import (
    AccessPurpose,
    authorize_patients_access,
    decisions_by_patient,
    visible_patients,
)
from subgraphs.clinical.access.principal import resolve_principal
from subgraphs.clinical.appointments.models import (
    Appointment,
    AppointmentStatus,
    AppointmentStatusChange,
)
from subgraphs.clinical.availability.service import require_aware
from subgraphs.clinical.pagination import Keyset, Page, paginate, paginate_groups
from subgraphs.common.context import Caller
from subgraphs.common.errors import DomainError, Forbidden, NotFound

__all__ = [
    "AppointmentOwner",
    "appointment_history",
    "appointments_of",
    "list_appointments",
    "read_appointments",
]


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


async def _visible(
    session: AsyncSession,
    caller: Caller,
    *,
    start: datetime | None,
    end: datetime | None,
    statuses: Sequence[AppointmentStatus] | None,
) -> SelectOfScalar[Appointment]:
    """Appointments the caller may see, within the span and of the statuses asked for."""
    principal = await resolve_principal(session, caller)
    statement = select(Appointment).where(
        visible_patients(principal, Appointment.patient_id, purpose=AccessPurpose.APPOINTMENTS)
    )
    if start is not None:
        statement = statement.where(col(Appointment.ends_at) > require_aware(start, "from"))
    if end is not None:
        statement = statement.where(col(Appointment.starts_at) < require_aware(end, "to"))
    if statuses:
        statement = statement.where(col(Appointment.status).in_([s.value for s in statuses]))
    return statement


async def _audit_read(session: AsyncSession, caller: Caller, rows: list[Appointment]) -> None:
    """Record the appointments handed out (one event), with the access decision behind each."""
    if rows:
        outcomes = await authorize_patients_access(
            session,
            caller,
            {row.patient_id for row in rows},
            purpose=AccessPurpose.APPOINTMENTS,
        )
        await record_access(
            session,
            caller,
            decisions_by_patient(outcomes).values(),
            records=[AccessedRecord("appointment", str(r.id), r.patient_id) for r in rows],
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
    statement = await _visible(session, caller, start=start, end=end, statuses=statuses)
    if doctor_id is not None:
        statement = statement.where(Appointment.doctor_id == doctor_id)
    if patient_id is not None:
        statement = statement.where(Appointment.patient_id == patient_id)
    page = await paginate(session, statement, _KEYSET, first=first, after=after)
    await _audit_read(session, caller, page.items)
    return page


class AppointmentOwner(Enum):
    """Whose appointments a batch lists: each patient's or each doctor's."""

    PATIENT = "patient_id"
    DOCTOR = "doctor_id"


async def appointments_of(
    session: AsyncSession,
    *,
    caller: Caller,
    owner: AppointmentOwner,
    owner_ids: Sequence[uuid.UUID],
    first: int | None = None,
    after: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: Sequence[AppointmentStatus] | None = None,
) -> dict[uuid.UUID, Page[Appointment]]:
    """:func:`list_appointments` filtered by each of several patients (or doctors), in one query."""
    statement = await _visible(session, caller, start=start, end=end, statuses=statuses)
    column: InstrumentedAttribute[uuid.UUID] = getattr(Appointment, owner.value)
    pages = await paginate_groups(
        session,
        statement,
        _KEYSET,
        group=column,
        groups=list(dict.fromkeys(owner_ids)),
        first=first,
        after=after,
    )
    await _audit_read(session, caller, [row for page in pages.values() for row in page.items])
    return pages


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
