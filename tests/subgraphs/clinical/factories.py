"""Synthetic people for clinical tests, created through the real service functions."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import SQLModel, select

from subgraphs.clinical.access import service as access
from subgraphs.clinical.access.models import BreakGlassGrant
from subgraphs.clinical.appointments import service as appointments
from subgraphs.clinical.appointments.models import Appointment
from subgraphs.clinical.availability import service as availability
from subgraphs.clinical.availability.models import DoctorSchedule, Weekday
from subgraphs.clinical.people import service
from subgraphs.clinical.people.models import Doctor, MedicalStaff, Patient, StaffRole
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from tests.subgraphs.clinical.conftest import make_caller
from tests.support.callers import token_for

_counter = itertools.count(1)


def _letters(n: int) -> str:
    """A distinct letters-only suffix (names may not contain digits)."""
    out = ""
    while n:
        n, digit = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[digit] + out
    return out


_ADMIN = make_caller(Role.ADMIN)


async def new_patient(db: Database, *, linked: bool = False, **values: Any) -> Patient:
    n = next(_counter)
    fields: dict[str, Any] = {
        "given_name": "Ada",
        "family_name": f"Testpatient{_letters(n)}",
        "date_of_birth": date(1980, 1, 1),
        "sex": "FEMALE",
        **values,
    }
    if linked:
        fields["user_id"] = uuid.uuid4()
    async with db.transaction() as session:
        return await service.create_person(session, service.PATIENTS, caller=_ADMIN, values=fields)


async def new_doctor(db: Database, *, linked: bool = True, **values: Any) -> Doctor:
    n = next(_counter)
    fields: dict[str, Any] = {
        "given_name": "Grace",
        "family_name": f"Testdoctor{_letters(n)}",
        "specialty": "General practice",
        "licence_number": f"GMC-{n:06d}",
        **values,
    }
    if linked:
        fields["user_id"] = uuid.uuid4()
    async with db.transaction() as session:
        return await service.create_person(session, service.DOCTORS, caller=_ADMIN, values=fields)


async def new_staff(
    db: Database, role: StaffRole = StaffRole.RECEPTIONIST, **values: Any
) -> MedicalStaff:
    n = next(_counter)
    fields: dict[str, Any] = {
        "given_name": "Florence",
        "family_name": f"Teststaff{_letters(n)}",
        "staff_role": role.value,
        "department": "Outpatients",
        "user_id": uuid.uuid4(),
        **values,
    }
    async with db.transaction() as session:
        return await service.create_person(session, service.STAFF, caller=_ADMIN, values=fields)


def caller_of(person: Patient | Doctor | MedicalStaff) -> Caller:
    """The signed-in caller whose account is linked to ``person``."""
    assert person.user_id is not None
    role = (
        Role.PATIENT
        if isinstance(person, Patient)
        else Role.DOCTOR
        if isinstance(person, Doctor)
        else Role.STAFF
    )
    return make_caller(role, user_id=person.user_id)


def token_of(person: Patient | Doctor | MedicalStaff) -> str:
    """A real access token of the account linked to ``person`` (role table scopes)."""
    return token_for(caller_of(person))


def next_monday(weeks_ahead: int = 1) -> date:
    """A Monday at least ``weeks_ahead`` weeks from today (UTC), so bookings are in the future."""
    today = datetime.now(UTC).date()
    return today + timedelta(days=7 * weeks_ahead + (7 - today.weekday()) % 7)


def at(day: date, hh: int, mm: int = 0, zone: str = "UTC") -> datetime:
    """``hh:mm`` on ``day`` in ``zone``, as an aware datetime."""
    return datetime.combine(day, time(hh, mm), tzinfo=ZoneInfo(zone))


async def with_schedule(
    db: Database,
    doctor: Doctor,
    *,
    zone: str = "UTC",
    minutes: int = 30,
    start: time = time(8),
    end: time = time(18),
    weekdays: tuple[Weekday, ...] = tuple(Weekday),
) -> Doctor:
    """Give ``doctor`` the same working hours on ``weekdays``."""
    async with db.transaction() as session:
        await availability.set_schedule(
            session,
            caller=_ADMIN,
            doctor_id=doctor.id,
            time_zone=zone,
            appointment_minutes=minutes,
            weekly_hours=[availability.WeeklyHours(day, start, end) for day in weekdays],
        )
    return doctor


async def book(
    db: Database,
    patient: Patient,
    doctor: Doctor,
    starts_at: datetime,
    *,
    caller: Caller | None = None,
    **options: Any,
) -> Appointment:
    return await appointments.book_appointment(
        db,
        caller=caller or _ADMIN,
        patient_id=patient.id,
        doctor_id=doctor.id,
        starts_at=starts_at,
        **options,
    )


_slots = itertools.count()
SLOTS_PER_DAY = 20  # 30-minute slots from 08:00 to 18:00 (with_schedule's defaults)


async def in_care(
    db: Database, patient: Patient, doctor: Doctor, *, caller: Caller | None = None
) -> Appointment:
    """Book ``patient`` with ``doctor`` at a slot no other test uses (the doctor gets working
    hours first if they have none). Booking puts the doctor in the patient's care team."""
    async with db.session() as session:
        scheduled = (
            await session.exec(
                select(DoctorSchedule.doctor_id).where(DoctorSchedule.doctor_id == doctor.id)
            )
        ).first()
    if scheduled is None:
        await with_schedule(db, doctor)
    days, slot = divmod(next(_slots), SLOTS_PER_DAY)
    starts_at = at(next_monday() + timedelta(days=days), 8) + timedelta(minutes=30 * slot)
    return await book(db, patient, doctor, starts_at, caller=caller)


async def break_glass(
    db: Database, caller: Caller, patient: Patient, reason: str = "Emergency review"
) -> BreakGlassGrant:
    """Declare emergency access to ``patient``'s clinical data through the real service."""
    async with db.transaction() as session:
        return await access.declare_break_glass(
            session, caller=caller, patient_id=patient.id, reason=reason
        )


async def count_rows(db: Database, model: type[SQLModel], *where: Any) -> int:
    """How many rows of ``model`` match every condition of ``where``."""
    async with db.session() as session:
        counted: int = (
            await session.exec(select(func.count()).select_from(model).where(*where))
        ).one()
        return counted
