"""Tables of a doctor's schedule: time zone and slot length, weekly hours, dated exceptions."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

__all__ = ["DoctorSchedule", "ExceptionKind", "ScheduleException", "Weekday", "WorkingHours"]


class Weekday(StrEnum):
    """ISO weekdays; stored as their number (1 = Monday ... 7 = Sunday)."""

    MONDAY = "MONDAY"
    TUESDAY = "TUESDAY"
    WEDNESDAY = "WEDNESDAY"
    THURSDAY = "THURSDAY"
    FRIDAY = "FRIDAY"
    SATURDAY = "SATURDAY"
    SUNDAY = "SUNDAY"

    @property
    def iso(self) -> int:
        return list(Weekday).index(self) + 1

    @classmethod
    def of_iso(cls, number: int) -> Weekday:
        return list(cls)[number - 1]


class ExceptionKind(StrEnum):
    """A dated change to the weekly hours."""

    UNAVAILABLE = "UNAVAILABLE"  # a day off (no times) or time off (with times)
    EXTRA_HOURS = "EXTRA_HOURS"  # hours worked beyond the weekly pattern


class DoctorSchedule(SQLModel, table=True):
    """The time zone a doctor's hours are given in, and the default appointment length."""

    __tablename__ = "doctor_schedule"

    doctor_id: uuid.UUID = Field(foreign_key="doctor.id", primary_key=True)
    time_zone: str = Field(max_length=64, nullable=False)
    appointment_minutes: int = Field(nullable=False)
    version: int = Field(default=1, nullable=False)
    updated_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    updated_by: str = Field(max_length=200, nullable=False)


class WorkingHours(SQLModel, table=True):
    """One block of weekly working time in the doctor's time zone (ISO weekday, 1 = Monday)."""

    __tablename__ = "working_hours"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    doctor_id: uuid.UUID = Field(foreign_key="doctor.id", nullable=False, index=True)
    weekday: int = Field(nullable=False)
    starts_at: time = Field(nullable=False)
    ends_at: time = Field(nullable=False)


class ScheduleException(SQLModel, table=True):
    """A dated exception: unavailable (whole day when no times) or extra hours."""

    __tablename__ = "schedule_exception"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    doctor_id: uuid.UUID = Field(foreign_key="doctor.id", nullable=False)
    on_date: date = Field(nullable=False)
    kind: str = Field(max_length=20, nullable=False)
    starts_at: time | None = Field(default=None)
    ends_at: time | None = Field(default=None)
    reason: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    created_by: str = Field(max_length=200, nullable=False)
