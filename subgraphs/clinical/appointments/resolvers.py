"""Queries and mutations of appointments: thin resolvers over the appointment service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.scopes import READ_APPOINTMENTS, WRITE_APPOINTMENTS
from subgraphs.clinical.appointments import service
from subgraphs.clinical.appointments.models import Appointment
from subgraphs.clinical.appointments.types import (
    APPOINTMENT_POLICY,
    AppointmentFilter,
    AppointmentType,
    BookAppointmentInput,
    load_appointment,
)
from subgraphs.clinical.connection import Connection
from subgraphs.clinical.people.types import Info
from subgraphs.common.audit import serve, serve_own
from subgraphs.common.context import Caller
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["AppointmentMutation", "AppointmentQuery"]


@strawberry.type
class AppointmentQuery:
    @guarded(READ_APPOINTMENTS, policy=APPOINTMENT_POLICY, description="One appointment.")
    async def appointment(self, info: Info, id: strawberry.ID) -> AppointmentType | None:  # noqa: A002 (GraphQL argument name)
        return AppointmentType.of(await load_appointment(info, parse_id(id)))

    @guarded(
        READ_APPOINTMENTS,
        policy=APPOINTMENT_POLICY,
        description="Appointments the caller may see, by start time (audited read).",
    )
    async def appointments(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: AppointmentFilter | None = None,  # noqa: A002 (GraphQL argument name)
    ) -> Connection[AppointmentType] | None:
        given = filter or AppointmentFilter()
        page = await serve(
            info.context,
            service.list_appointments,
            first=first,
            after=after,
            doctor_id=parse_id(given.doctor_id, what="doctorId") if given.doctor_id else None,
            patient_id=parse_id(given.patient_id, what="patientId") if given.patient_id else None,
            start=given.from_,
            end=given.to,
            statuses=given.statuses,
        )
        return Connection.of(page, AppointmentType.of)


@strawberry.type
class AppointmentMutation:
    @guarded(WRITE_APPOINTMENTS, policy=APPOINTMENT_POLICY, description="Book an appointment.")
    async def book_appointment(self, info: Info, input: BookAppointmentInput) -> AppointmentType:  # noqa: A002 (GraphQL argument name)
        row = await serve_own(
            info.context,
            service.book_appointment,
            patient_id=parse_id(input.patient_id, what="patientId"),
            doctor_id=parse_id(input.doctor_id, what="doctorId"),
            starts_at=input.starts_at,
            ends_at=input.ends_at,
            reason=input.reason,
            overbook=input.overbook,
            idempotency_key=input.idempotency_key,
        )
        return AppointmentType.of(row)

    @guarded(
        WRITE_APPOINTMENTS, policy=APPOINTMENT_POLICY, description="Move a booked appointment."
    )
    async def reschedule_appointment(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument name)
        starts_at: datetime,
        ends_at: datetime | None = None,
        reason: str | None = None,
        overbook: bool = False,
    ) -> AppointmentType:
        row = await serve_own(
            info.context,
            service.reschedule_appointment,
            appointment_id=parse_id(id),
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            overbook=overbook,
        )
        return AppointmentType.of(row)

    @guarded(WRITE_APPOINTMENTS, policy=APPOINTMENT_POLICY, description="Cancel, with a reason.")
    async def cancel_appointment(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument name)
        reason: str,
    ) -> AppointmentType:
        row = await serve(
            info.context, service.cancel_appointment, appointment_id=parse_id(id), reason=reason
        )
        return AppointmentType.of(row)

    @guarded(WRITE_APPOINTMENTS, policy=APPOINTMENT_POLICY, description="The patient has arrived.")
    async def check_in_appointment(self, info: Info, id: strawberry.ID) -> AppointmentType:  # noqa: A002 (GraphQL argument name)
        return await _visit_step(info, id, service.check_in_appointment)

    @guarded(WRITE_APPOINTMENTS, policy=APPOINTMENT_POLICY, description="The visit took place.")
    async def complete_appointment(self, info: Info, id: strawberry.ID) -> AppointmentType:  # noqa: A002 (GraphQL argument name)
        return await _visit_step(info, id, service.complete_appointment)

    @guarded(WRITE_APPOINTMENTS, policy=APPOINTMENT_POLICY, description="The patient did not come.")
    async def mark_no_show(self, info: Info, id: strawberry.ID) -> AppointmentType:  # noqa: A002 (GraphQL argument name)
        return await _visit_step(info, id, service.mark_no_show)


class _VisitStep(Protocol):
    async def __call__(
        self, session: AsyncSession, *, caller: Caller, appointment_id: uuid.UUID
    ) -> Appointment: ...


async def _visit_step(
    info: Info, appointment_id: strawberry.ID, step: _VisitStep
) -> AppointmentType:
    row = await serve(info.context, step, appointment_id=parse_id(appointment_id))
    return AppointmentType.of(row)
