"""Queries and mutations of availability: schedules, exceptions and free slots."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from subgraphs.clinical.access.scopes import READ_APPOINTMENTS, WRITE_SCHEDULES
from subgraphs.clinical.availability import service
from subgraphs.clinical.availability.types import (
    DoctorScheduleInput,
    DoctorScheduleType,
    ScheduleExceptionInput,
    ScheduleExceptionType,
    SlotType,
)
from subgraphs.clinical.people.types import Info
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["AvailabilityMutation", "AvailabilityQuery"]


@strawberry.type
class AvailabilityQuery:
    @guarded(description="A doctor's schedule; null until one is set.")
    async def doctor_schedule(
        self, info: Info, doctor_id: strawberry.ID
    ) -> DoctorScheduleType | None:
        context = info.context
        async with context.database.transaction() as session:
            schedule, hours, exceptions = await service.get_schedule(
                session, caller=context.caller, doctor_id=parse_id(doctor_id, what="doctorId")
            )
        return DoctorScheduleType.of(schedule, hours, exceptions) if schedule else None

    @guarded(
        READ_APPOINTMENTS,
        description="Free slots of the doctor's default length: working hours minus bookings.",
    )
    async def available_slots(
        self,
        info: Info,
        doctor_id: strawberry.ID,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> list[SlotType] | None:
        context = info.context
        async with context.database.transaction() as session:
            slots = await service.available_slots(
                session,
                caller=context.caller,
                doctor_id=parse_id(doctor_id, what="doctorId"),
                start=from_,
                end=to,
            )
        return [SlotType.of(slot) for slot in slots]


@strawberry.type
class AvailabilityMutation:
    @guarded(WRITE_SCHEDULES, description="Replace a doctor's weekly schedule.")
    async def set_doctor_schedule(
        self,
        info: Info,
        doctor_id: strawberry.ID,
        input: DoctorScheduleInput,  # noqa: A002 (GraphQL argument name)
    ) -> DoctorScheduleType:
        context = info.context
        doctor = parse_id(doctor_id, what="doctorId")
        async with context.database.transaction() as session:
            await service.set_schedule(
                session,
                caller=context.caller,
                doctor_id=doctor,
                time_zone=input.time_zone,
                appointment_minutes=input.appointment_minutes,
                weekly_hours=[
                    service.WeeklyHours(h.weekday, h.starts_at, h.ends_at)
                    for h in input.weekly_hours
                ],
            )
            schedule, hours, exceptions = await service.get_schedule(
                session, caller=context.caller, doctor_id=doctor
            )
        assert schedule is not None
        return DoctorScheduleType.of(schedule, hours, exceptions)

    @guarded(WRITE_SCHEDULES, description="Add a day off, time off or extra hours.")
    async def add_schedule_exception(
        self,
        info: Info,
        doctor_id: strawberry.ID,
        input: ScheduleExceptionInput,  # noqa: A002 (GraphQL argument name)
    ) -> ScheduleExceptionType:
        context = info.context
        async with context.database.transaction() as session:
            row = await service.add_schedule_exception(
                session,
                caller=context.caller,
                doctor_id=parse_id(doctor_id, what="doctorId"),
                on_date=input.date,
                kind=input.kind,
                starts_at=input.starts_at,
                ends_at=input.ends_at,
                reason=input.reason,
            )
        return ScheduleExceptionType.of(row)

    @guarded(WRITE_SCHEDULES, description="Remove a schedule exception.")
    async def remove_schedule_exception(self, info: Info, id: strawberry.ID) -> bool:  # noqa: A002 (GraphQL argument name)
        context = info.context
        async with context.database.transaction() as session:
            await service.remove_schedule_exception(
                session, caller=context.caller, exception_id=parse_id(id)
            )
        return True
