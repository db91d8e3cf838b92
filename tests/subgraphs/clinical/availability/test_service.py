"""Schedules and available slots against the real database."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

import pytest

from subgraphs.clinical.availability import service
from subgraphs.clinical.availability.models import ExceptionKind, Weekday
from subgraphs.clinical.people.models import StaffRole
from subgraphs.common.context import Caller
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Forbidden, NotFound
from tests.subgraphs.clinical.factories import (
    at,
    book,
    caller_of,
    new_doctor,
    new_patient,
    new_staff,
    next_monday,
    with_schedule,
)


async def slots(
    db: Database, caller: Caller, doctor_id: uuid.UUID, start: datetime, end: datetime
) -> list[tuple[int, int]]:
    async with db.transaction() as session:
        found = await service.available_slots(
            session, caller=caller, doctor_id=doctor_id, start=start, end=end
        )
    return [(s.start.hour, s.start.minute) for s in found]


async def test_schedule_validation_and_permissions(database: Database, admin: Caller) -> None:
    doctor = await new_doctor(database)
    other = await new_doctor(database)
    monday = [service.WeeklyHours(Weekday.MONDAY, time(9), time(12))]
    cases = [
        ({"time_zone": "Mars/Olympus"}, "IANA time zone"),
        ({"appointment_minutes": 2}, "appointmentMinutes"),
        (
            {"weekly_hours": [service.WeeklyHours(Weekday.MONDAY, time(12), time(9))]},
            "ends before it starts",
        ),
        (
            {
                "weekly_hours": [
                    service.WeeklyHours(Weekday.MONDAY, time(9), time(12)),
                    service.WeeklyHours(Weekday.MONDAY, time(11), time(13)),
                ]
            },
            "overlaps",
        ),
    ]
    for change, message in cases:
        arguments = {
            "time_zone": "UTC",
            "appointment_minutes": 20,
            "weekly_hours": monday,
            **change,
        }
        async with database.transaction() as session:
            with pytest.raises(BadUserInput, match=message):
                await service.set_schedule(session, caller=admin, doctor_id=doctor.id, **arguments)
    async with database.transaction() as session:
        mine = await service.set_schedule(
            session,
            caller=caller_of(doctor),
            doctor_id=doctor.id,
            time_zone="Europe/Paris",
            appointment_minutes=20,
            weekly_hours=monday,
        )
        assert (mine.time_zone, mine.appointment_minutes, mine.version) == ("Europe/Paris", 20, 1)
        nurse = await new_staff(database, StaffRole.NURSE)
        for intruder in (caller_of(other), caller_of(nurse)):
            with pytest.raises(Forbidden):
                await service.set_schedule(
                    session,
                    caller=intruder,
                    doctor_id=doctor.id,
                    time_zone="UTC",
                    appointment_minutes=20,
                    weekly_hours=monday,
                )
        desk = await service.set_schedule(
            session,
            caller=caller_of(await new_staff(database)),  # a receptionist keeps the diary
            doctor_id=doctor.id,
            time_zone="Europe/Paris",
            appointment_minutes=30,
            weekly_hours=monday,
        )
        assert (desk.appointment_minutes, desk.version) == (30, 2)
        with pytest.raises(NotFound):
            await service.set_schedule(
                session,
                caller=admin,
                doctor_id=uuid.uuid4(),
                time_zone="UTC",
                appointment_minutes=20,
                weekly_hours=monday,
            )


async def test_slots_are_hours_minus_bookings_and_exceptions(
    database: Database, admin: Caller
) -> None:
    doctor = await with_schedule(
        database,
        await new_doctor(database),
        zone="Europe/London",
        minutes=30,
        start=time(9),
        end=time(11),
    )
    day = next_monday(2)
    tuesday = day + timedelta(days=1)
    zone = "Europe/London"
    start, end = at(day, 0, zone=zone), at(day + timedelta(days=2), 0, zone=zone)
    local = [(9, 0), (9, 30), (10, 0), (10, 30)]
    offset = at(day, 9, zone=zone).utcoffset()
    assert offset is not None
    shift = int(offset.total_seconds() // 3600)
    in_utc = [(h - shift, m) for h, m in local]
    assert await slots(database, admin, doctor.id, start, end) == in_utc * 2

    await book(database, await new_patient(database), doctor, at(day, 9, 30, zone=zone))
    async with database.transaction() as session:
        await service.add_schedule_exception(
            session,
            caller=admin,
            doctor_id=doctor.id,
            on_date=tuesday,
            kind=ExceptionKind.UNAVAILABLE,
        )
        await service.add_schedule_exception(
            session,
            caller=admin,
            doctor_id=doctor.id,
            on_date=day,
            kind=ExceptionKind.EXTRA_HOURS,
            starts_at=time(11),
            ends_at=time(12),
            reason="Clinic overflow",
        )
    expected = [(9, 0), (10, 0), (10, 30), (11, 0), (11, 30)]
    assert await slots(database, admin, doctor.id, start, end) == [
        (h - shift, m) for h, m in expected
    ]


async def test_slot_and_exception_input_errors(database: Database, admin: Caller) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    day = next_monday()
    async with database.transaction() as session:
        with pytest.raises(BadUserInput, match="UTC offset"):
            await service.available_slots(
                session,
                caller=admin,
                doctor_id=doctor.id,
                start=at(day, 9).replace(tzinfo=None),
                end=at(day, 10),
            )
        with pytest.raises(BadUserInput, match="after from"):
            await service.available_slots(
                session, caller=admin, doctor_id=doctor.id, start=at(day, 10), end=at(day, 9)
            )
        with pytest.raises(BadUserInput, match="31 days"):
            await service.available_slots(
                session,
                caller=admin,
                doctor_id=doctor.id,
                start=at(day, 0),
                end=at(day + timedelta(days=40), 0),
            )
        with pytest.raises(NotFound):
            await service.available_slots(
                session, caller=admin, doctor_id=uuid.uuid4(), start=at(day, 9), end=at(day, 10)
            )
        with pytest.raises(BadUserInput, match="past"):
            await service.add_schedule_exception(
                session,
                caller=admin,
                doctor_id=doctor.id,
                on_date=day - timedelta(days=30),
                kind=ExceptionKind.UNAVAILABLE,
            )
        with pytest.raises(BadUserInput, match="Extra hours need"):
            await service.add_schedule_exception(
                session,
                caller=admin,
                doctor_id=doctor.id,
                on_date=day,
                kind=ExceptionKind.EXTRA_HOURS,
            )
