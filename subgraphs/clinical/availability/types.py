"""GraphQL types of availability: schedules, weekly hours, exceptions and free slots."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.availability import service
from subgraphs.clinical.availability.models import (
    DoctorSchedule,
    ExceptionKind,
    ScheduleException,
    Weekday,
    WorkingHours,
)
from subgraphs.clinical.availability.windows import Interval
from subgraphs.clinical.loaders import load_grouped
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.errors import NotFound

__all__ = [
    "DoctorScheduleInput",
    "DoctorScheduleType",
    "ScheduleExceptionInput",
    "ScheduleExceptionType",
    "SlotType",
    "WeeklyHoursInput",
    "WeeklyHoursType",
    "slots_of",
]

strawberry.enum(Weekday, name="Weekday")
strawberry.enum(ExceptionKind, name="ScheduleExceptionKind")


@strawberry.type(name="WeeklyHours")
class WeeklyHoursType:
    weekday: Weekday
    starts_at: time
    ends_at: time

    @classmethod
    def of(cls, row: WorkingHours) -> WeeklyHoursType:
        return cls(
            weekday=Weekday.of_iso(row.weekday), starts_at=row.starts_at, ends_at=row.ends_at
        )


@strawberry.type(name="ScheduleException")
class ScheduleExceptionType:
    id: strawberry.ID
    date: date
    kind: ExceptionKind
    starts_at: time | None = strawberry.field(description="Null with endsAt: the whole day.")
    ends_at: time | None
    reason: str | None

    @classmethod
    def of(cls, row: ScheduleException) -> ScheduleExceptionType:
        return cls(
            id=strawberry.ID(str(row.id)),
            date=row.on_date,
            kind=ExceptionKind(row.kind),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            reason=row.reason,
        )


@strawberry.type(name="DoctorSchedule", description="Times are local to timeZone.")
class DoctorScheduleType:
    doctor_id: strawberry.ID
    time_zone: str
    appointment_minutes: int
    weekly_hours: list[WeeklyHoursType]
    exceptions: list[ScheduleExceptionType]
    version: int
    updated_at: datetime

    @classmethod
    def of(
        cls,
        schedule: DoctorSchedule,
        hours: list[WorkingHours],
        exceptions: list[ScheduleException],
    ) -> DoctorScheduleType:
        return cls(
            doctor_id=strawberry.ID(str(schedule.doctor_id)),
            time_zone=schedule.time_zone,
            appointment_minutes=schedule.appointment_minutes,
            weekly_hours=[WeeklyHoursType.of(h) for h in hours],
            exceptions=[ScheduleExceptionType.of(e) for e in exceptions],
            version=schedule.version,
            updated_at=schedule.updated_at,
        )


@strawberry.type(name="Slot", description="A free appointment slot.")
class SlotType:
    starts_at: datetime
    ends_at: datetime

    @classmethod
    def of(cls, interval: Interval) -> SlotType:
        return cls(starts_at=interval.start, ends_at=interval.end)


@strawberry.input
class WeeklyHoursInput:
    weekday: Weekday
    starts_at: time
    ends_at: time


@strawberry.input
class DoctorScheduleInput:
    time_zone: str = strawberry.field(description="IANA time zone, e.g. Europe/London.")
    appointment_minutes: int = strawberry.field(description="Default appointment length, 5-480.")
    weekly_hours: list[WeeklyHoursInput]


@strawberry.input
class ScheduleExceptionInput:
    date: date
    kind: ExceptionKind
    starts_at: time | None = None
    ends_at: time | None = None
    reason: str | None = None


async def slots_of(
    info: strawberry.Info[RequestContext, None],
    doctor_id: uuid.UUID,
    *,
    start: datetime,
    end: datetime,
) -> list[SlotType]:
    """``Doctor.availability``: the free slots of every doctor asked alike, in one batch."""

    async def fetch(
        session: AsyncSession,
        caller: Caller,
        ids: list[uuid.UUID],
        arguments: tuple[datetime, datetime],
    ) -> dict[uuid.UUID, list[Interval] | NotFound]:
        start, end = arguments
        return await service.slots_of_doctors(
            session, caller=caller, doctor_ids=ids, start=start, end=end
        )

    slots = await load_grouped(info.context, "slots-of", fetch, doctor_id, (start, end))
    return [SlotType.of(slot) for slot in slots]
