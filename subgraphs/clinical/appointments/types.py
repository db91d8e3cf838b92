"""GraphQL types of appointments: the Appointment entity, its history, inputs and filters."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.scopes import APPOINTMENT_POLICY, READ_APPOINTMENTS
from subgraphs.clinical.appointments import service
from subgraphs.clinical.appointments.models import (
    Appointment,
    AppointmentStatus,
    AppointmentStatusChange,
)
from subgraphs.clinical.connection import Connection
from subgraphs.clinical.loaders import load_grouped
from subgraphs.clinical.pagination import Page
from subgraphs.clinical.people.types import (
    DoctorType,
    Info,
    PatientType,
    load_doctor,
    load_patient,
)
from subgraphs.common.context import Caller
from subgraphs.common.errors import DomainError
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id
from subgraphs.common.loaders import load_batched

__all__ = [
    "APPOINTMENT_POLICY",
    "AppointmentFilter",
    "AppointmentStatusChangeType",
    "AppointmentType",
    "BookAppointmentInput",
    "appointments_of",
    "load_appointment",
]


strawberry.enum(AppointmentStatus, name="AppointmentStatus")


@strawberry.type(
    name="AppointmentStatusChange", description="One entry of an appointment's history."
)
class AppointmentStatusChangeType:
    from_status: AppointmentStatus | None
    to_status: AppointmentStatus
    starts_at: datetime
    ends_at: datetime
    previous_starts_at: datetime | None
    previous_ends_at: datetime | None
    overbooked: bool
    reason: str | None
    actor: str = strawberry.field(description="The user id who made the change.")
    changed_at: datetime

    @classmethod
    def of(cls, row: AppointmentStatusChange) -> AppointmentStatusChangeType:
        return cls(
            from_status=AppointmentStatus(row.from_status) if row.from_status else None,
            to_status=AppointmentStatus(row.to_status),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            previous_starts_at=row.previous_starts_at,
            previous_ends_at=row.previous_ends_at,
            overbooked=row.overbooked,
            reason=row.reason,
            actor=row.actor,
            changed_at=row.changed_at,
        )


@strawberry.federation.type(
    name="Appointment",
    keys=["id"],
    authenticated=True,
    requires_scopes=READ_APPOINTMENTS.directive,
    policy=[[APPOINTMENT_POLICY]],
    description="A patient's visit to a doctor over [startsAt, endsAt).",
)
class AppointmentType:
    id: strawberry.ID
    patient_id: strawberry.ID
    doctor_id: strawberry.ID
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    reason: str | None
    overbooked: bool = strawberry.field(description="Booked deliberately over another booking.")
    cancellation_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    # Nullable: a caller with appointments:read but not patients:read still sees the appointment.
    @strawberry.field
    async def patient(self, info: Info) -> PatientType | None:
        return PatientType.of(await load_patient(info, parse_id(self.patient_id)))

    @strawberry.field
    async def doctor(self, info: Info) -> DoctorType | None:
        return DoctorType.of(await load_doctor(info, parse_id(self.doctor_id)))

    @guarded(
        READ_APPOINTMENTS,
        description="Booking, reschedules and status changes, oldest first.",
    )
    async def history(self, info: Info) -> list[AppointmentStatusChangeType] | None:
        async def fetch(
            session: AsyncSession, _: Caller, ids: list[uuid.UUID]
        ) -> dict[uuid.UUID, list[AppointmentStatusChange]]:
            return await service.appointment_history(session, appointment_ids=ids)

        changes = await load_batched(info.context, "appointment-history", fetch, parse_id(self.id))
        return [AppointmentStatusChangeType.of(c) for c in changes]

    @classmethod
    def of(cls, row: Appointment) -> AppointmentType:
        return cls(
            id=strawberry.ID(str(row.id)),
            patient_id=strawberry.ID(str(row.patient_id)),
            doctor_id=strawberry.ID(str(row.doctor_id)),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            status=AppointmentStatus(row.status),
            reason=row.reason,
            overbooked=row.overbooked,
            cancellation_reason=row.cancellation_reason,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> AppointmentType:  # noqa: A002 (federation passes the key field by name)
        return cls.of(await load_appointment(info, parse_id(id)))


async def load_appointment(info: Info, appointment_id: uuid.UUID) -> Appointment:
    """An appointment, access-checked and audited, batched with the request's others."""

    async def fetch(
        session: AsyncSession, caller: Caller, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, Appointment | DomainError]:
        return await service.read_appointments(session, caller=caller, appointment_ids=ids)

    return await load_batched(
        info.context, "appointments", fetch, appointment_id, scopes=READ_APPOINTMENTS
    )


# first, after, from, to, statuses: what one batch of ``appointments_of`` shares.
_Arguments = tuple[
    int | None, str | None, datetime | None, datetime | None, tuple[AppointmentStatus, ...]
]


async def appointments_of(
    info: Info,
    owner: service.AppointmentOwner,
    owner_id: uuid.UUID,
    *,
    first: int | None,
    after: str | None,
    start: datetime | None,
    end: datetime | None,
    statuses: list[AppointmentStatus] | None,
) -> Connection[AppointmentType]:
    """``Patient.appointments``/``Doctor.appointments``: one query for every parent asked alike."""

    async def fetch(
        session: AsyncSession, caller: Caller, ids: list[uuid.UUID], arguments: _Arguments
    ) -> dict[uuid.UUID, Page[Appointment]]:
        first, after, start, end, statuses = arguments
        return await service.appointments_of(
            session,
            caller=caller,
            owner=owner,
            owner_ids=ids,
            first=first,
            after=after,
            start=start,
            end=end,
            statuses=statuses,
        )

    arguments: _Arguments = (first, after, start, end, tuple(statuses or ()))
    page = await load_grouped(
        info.context, f"appointments-of.{owner.name}", fetch, owner_id, arguments
    )
    return Connection.of(page, AppointmentType.of)


@strawberry.input
class BookAppointmentInput:
    patient_id: strawberry.ID
    doctor_id: strawberry.ID
    starts_at: datetime = strawberry.field(description="With a UTC offset.")
    ends_at: datetime | None = strawberry.field(
        default=None, description="Default: the doctor's appointment length."
    )
    reason: str | None = None
    overbook: bool = strawberry.field(
        default=False,
        description="Book over the doctor's other appointments (ADMIN or the doctor; recorded).",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description=(
            "A key unique to this request (a UUID, at most 255 characters). Sent again by the "
            "same caller with the same input, it returns the booking already made instead of "
            "a second one or a CONFLICT; with other input, IDEMPOTENCY_KEY_REUSED."
        ),
    )


@strawberry.input
class AppointmentFilter:
    doctor_id: strawberry.ID | None = None
    patient_id: strawberry.ID | None = None
    from_: Annotated[datetime | None, strawberry.argument(name="from")] = strawberry.field(
        default=None, name="from"
    )
    to: datetime | None = None
    statuses: list[AppointmentStatus] | None = None
