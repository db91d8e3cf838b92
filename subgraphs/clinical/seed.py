"""A small synthetic clinic, written through clinical's own service functions (development only).

Doctors with weekly hours, staff, and patients on care teams with past visits (notes, one amended
into a second version, signed prescriptions), visits today for the demo doctor and upcoming
appointments. Everyone is fictional. Going through the services keeps
their rules, outbox events and audit entries. A second run skips every person who exists (their
visits were written with them), so it adds nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from subgraphs.clinical.access.service import assign_patient, declare_break_glass
from subgraphs.clinical.appointments.service import (
    book_appointment,
    complete_appointment,
    mark_no_show,
)
from subgraphs.clinical.availability.models import ExceptionKind, Weekday
from subgraphs.clinical.availability.service import (
    WeeklyHours,
    add_schedule_exception,
    set_schedule,
)
from subgraphs.clinical.people.models import Sex, StaffRole
from subgraphs.clinical.people.service import (
    DOCTORS,
    PATIENTS,
    STAFF,
    PersonKind,
    create_person,
    people_for_users,
)
from subgraphs.clinical.prescriptions.registry import PrescriptionKeys
from subgraphs.clinical.prescriptions.service import issue_prescription
from subgraphs.clinical.records.service import create_record, update_record
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import Conflict
from subgraphs.common.tokens.scopes import scope_claim

__all__ = [
    "DEMO_BREAK_GLASS",
    "DEMO_CLINIC",
    "DemoBreakGlass",
    "DemoClinic",
    "DemoDoctor",
    "DemoPatient",
    "DemoStaffMember",
    "DemoVisit",
    "Outcome",
    "seed_clinic",
]

TIME_ZONE = "Europe/London"
_WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)


@dataclass(frozen=True, slots=True)
class DemoDoctor:
    email: str
    given_name: str
    family_name: str
    specialty: str
    licence_number: str
    # Local (start, end) blocks worked every weekday, and the default appointment length.
    hours: tuple[tuple[time, time], ...]
    appointment_minutes: int = 30
    # Whole days away: (working days from today, reason), so the desk's schedule shows one.
    days_off: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DemoStaffMember:
    email: str
    given_name: str
    family_name: str
    staff_role: StaffRole
    department: str


class Outcome(StrEnum):
    UPCOMING = "UPCOMING"
    COMPLETED = "COMPLETED"
    NO_SHOW = "NO_SHOW"


@dataclass(frozen=True, slots=True)
class DemoVisit:
    """A visit ``weekdays`` working days from today (negative: past; 0: today, or the next working
    day at a weekend) at local time ``at``."""

    doctor: str  # the doctor's email
    weekdays: int
    at: time
    reason: str
    outcome: Outcome = Outcome.UPCOMING
    record: Mapping[str, Any] | None = None  # written by the doctor after a completed visit
    prescription: Mapping[str, Any] | None = None
    amendment: Mapping[str, Any] | None = None  # the record's sections changed later (version 2)


@dataclass(frozen=True, slots=True)
class DemoPatient:
    email: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex
    phone: str
    care_team: tuple[str, ...]  # doctors' emails
    visits: tuple[DemoVisit, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoClinic:
    doctors: tuple[DemoDoctor, ...]
    staff: tuple[DemoStaffMember, ...]
    patients: tuple[DemoPatient, ...]


def _t(text: str) -> time:
    return time.fromisoformat(text)


_GP = "doctor@demo.healthgraph.test"
_CARDIOLOGY = "dr.okafor@demo.healthgraph.test"
_PAEDIATRICS = "dr.lindqvist@demo.healthgraph.test"

DEMO_CLINIC = DemoClinic(
    doctors=(
        DemoDoctor(_GP, "Dana", "Doctor", "General practice", "GMC-7000001",
                   ((_t("09:00"), _t("12:30")), (_t("13:30"), _t("17:00")))),
        DemoDoctor(_CARDIOLOGY, "Chidi", "Okafor", "Cardiology", "GMC-7000002",
                   ((_t("08:30"), _t("12:30")), (_t("13:30"), _t("16:30"))), 45),
        DemoDoctor(_PAEDIATRICS, "Elin", "Lindqvist", "Paediatrics", "GMC-7000003",
                   ((_t("09:00"), _t("13:00")),), days_off=((10, "Paediatrics conference"),)),
    ),
    staff=(
        DemoStaffMember("staff@demo.healthgraph.test", "Sam", "Staff", StaffRole.RECEPTIONIST,
                        "Front desk"),
        DemoStaffMember("nurse.haddad@demo.healthgraph.test", "Noor", "Haddad", StaffRole.NURSE,
                        "Outpatients"),
    ),
    patients=(
        DemoPatient(
            "patient@demo.healthgraph.test", "Pat", "Patient", date(1988, 4, 12), Sex.FEMALE,
            "+44 20 7946 0101", (_GP,),
            (
                DemoVisit(
                    _GP, -10, _t("09:30"), "Persistent cough for two weeks", Outcome.COMPLETED,
                    record={
                        "notes": "Dry cough, no fever. Chest clear on auscultation.",
                        "vitals": {"temperature_c": 36.9, "heart_rate_bpm": 78,
                                   "systolic_mmhg": 118, "diastolic_mmhg": 76,
                                   "oxygen_saturation": 98},
                        "diagnoses": [{"code": "J20.9", "text": "Acute bronchitis",
                                       "primary": True}],
                        "allergies": [{"substance": "Penicillin", "reaction": "Rash",
                                       "severity": "MODERATE"}],
                    },
                    amendment={
                        "notes": "Dry cough, no fever. Chest clear on auscultation. Addendum: "
                                 "no chest X-ray needed; return if breathless or feverish.",
                    },
                    prescription={
                        "medication": "Salbutamol 100 micrograms/dose inhaler", "dose": "2 puffs",
                        "route": "INHALED", "frequency": "up to 4 times a day when needed",
                        "quantity": 1, "refills": 1,
                    },
                ),
                DemoVisit(_GP, 0, _t("09:30"), "Inhaler technique review"),
                DemoVisit(_GP, 2, _t("10:00"), "Follow-up: cough"),
                DemoVisit(_CARDIOLOGY, 5, _t("11:00"), "ECG review"),
            ),
        ),
        DemoPatient(
            "lucie.moreau@demo.healthgraph.test", "Lucie", "Moreau", date(1956, 9, 3), Sex.FEMALE,
            "+44 20 7946 0102", (_GP, _CARDIOLOGY),
            (
                DemoVisit(
                    _CARDIOLOGY, -5, _t("10:00"), "Raised blood pressure", Outcome.COMPLETED,
                    record={
                        "notes": "Home readings around 150/95. Start amlodipine, review in 4 weeks.",
                        "vitals": {"heart_rate_bpm": 72, "systolic_mmhg": 152,
                                   "diastolic_mmhg": 96, "weight_kg": 68.5},
                        "diagnoses": [{"code": "I10", "text": "Essential hypertension",
                                       "primary": True}],
                    },
                    prescription={
                        "medication": "Amlodipine 5 mg tablets", "dose": "5 mg", "route": "ORAL",
                        "frequency": "once a day", "quantity": 28, "refills": 5,
                    },
                ),
                DemoVisit(_GP, 0, _t("11:30"), "Home blood pressure readings"),
                DemoVisit(_GP, 3, _t("14:00"), "Blood pressure check"),
            ),
        ),
        DemoPatient(
            "kenji.tanaka@demo.healthgraph.test", "Kenji", "Tanaka", date(2017, 1, 22), Sex.MALE,
            "+44 20 7946 0103", (_PAEDIATRICS,),
            (
                DemoVisit(
                    _PAEDIATRICS, -3, _t("09:00"), "Ear pain since yesterday", Outcome.COMPLETED,
                    record={
                        "notes": "Red, bulging left tympanic membrane.",
                        "vitals": {"temperature_c": 38.2, "heart_rate_bpm": 104},
                        "diagnoses": [{"code": "H66.9", "text": "Otitis media",
                                       "primary": True}],
                    },
                    prescription={
                        "medication": "Amoxicillin 250 mg/5 mL oral suspension", "dose": "5 mL",
                        "route": "ORAL", "frequency": "three times a day for 5 days",
                        "quantity": 1, "refills": 0,
                    },
                ),
                DemoVisit(_PAEDIATRICS, 4, _t("09:30"), "Review after antibiotics"),
            ),
        ),
        DemoPatient(
            "mateo.alvarez@demo.healthgraph.test", "Mateo", "Alvarez", date(1979, 6, 30), Sex.MALE,
            "+44 20 7946 0104", (_GP,),
            (
                DemoVisit(
                    _GP, -15, _t("14:00"), "Lower back pain after lifting", Outcome.COMPLETED,
                    record={
                        "notes": "Mechanical low back pain, no red flags. Advised to keep active.",
                        "vitals": {"heart_rate_bpm": 70, "systolic_mmhg": 126,
                                   "diastolic_mmhg": 82, "weight_kg": 84.0},
                        "diagnoses": [{"code": "M54.5", "text": "Low back pain",
                                       "primary": True}],
                    },
                    prescription={
                        "medication": "Ibuprofen 400 mg tablets", "dose": "400 mg",
                        "route": "ORAL", "frequency": "three times a day with food",
                        "quantity": 21, "refills": 0,
                        "instructions": "Stop and call us if you get stomach pain.",
                    },
                ),
                DemoVisit(_GP, -1, _t("15:00"), "Annual check-up", Outcome.NO_SHOW),
                DemoVisit(_GP, 0, _t("15:30"), "Back pain review"),
                DemoVisit(_GP, 1, _t("16:00"), "Annual check-up (rebooked)"),
            ),
        ),
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoBreakGlass:
    """A doctor outside the patient's care team opened emergency access ``hours`` hours before
    seeding (long expired), so the patient's access log has a break-glass entry to show."""

    patient: str  # emails
    doctor: str
    reason: str
    hours: int = 2
    minutes: int = 20


DEMO_BREAK_GLASS = (
    DemoBreakGlass(
        "patient@demo.healthgraph.test",
        _PAEDIATRICS,
        "Brought in unconscious to the emergency department: checking allergies and medication",
    ),
)


def _caller(role: Role, user_id: uuid.UUID) -> Caller:
    return Caller.from_claims(
        {"sub": str(user_id), "role": role.value, "scope": scope_claim(role), "jti": "seed"}
    )


def working_day(today: date, offset: int) -> date:
    """The ``offset``-th weekday after ``today`` (before it when negative); for 0, ``today`` or
    (at a weekend) the next weekday."""
    step = timedelta(days=1 if offset > 0 else -1)
    day, left = today, abs(offset)
    while offset == 0 and day.weekday() >= len(_WEEKDAYS):
        day += timedelta(days=1)
    while left:
        day += step
        if day.weekday() < len(_WEEKDAYS):
            left -= 1
    return day


@dataclass
class _Seeding:
    database: Database
    admin: Caller
    user_ids: Mapping[str, uuid.UUID]
    keys: PrescriptionKeys
    today: date
    doctors: dict[str, tuple[uuid.UUID, DemoDoctor]] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)

    async def existing(self, kind: PersonKind[Any], email: str) -> uuid.UUID | None:
        async with self.database.session() as session:
            found = await people_for_users(session, kind, [self.user_ids[email]])
        return found.get(self.user_ids[email])

    async def doctor(self, demo: DemoDoctor) -> None:
        doctor_id = await self.existing(DOCTORS, demo.email)
        if doctor_id is None:
            async with self.database.transaction() as session:
                row = await create_person(
                    session,
                    DOCTORS,
                    caller=self.admin,
                    values=self._person(demo)
                    | {"specialty": demo.specialty, "licence_number": demo.licence_number},
                )
                await set_schedule(
                    session,
                    caller=self.admin,
                    doctor_id=row.id,
                    time_zone=TIME_ZONE,
                    appointment_minutes=demo.appointment_minutes,
                    weekly_hours=[
                        WeeklyHours(day, start, end)
                        for day in _WEEKDAYS
                        for start, end in demo.hours
                    ],
                )
                for offset, reason in demo.days_off:
                    await add_schedule_exception(
                        session,
                        caller=self.admin,
                        doctor_id=row.id,
                        on_date=working_day(self.today, offset),
                        kind=ExceptionKind.UNAVAILABLE,
                        reason=reason,
                    )
            doctor_id = row.id
            self.created.append(demo.email)
        self.doctors[demo.email] = (doctor_id, demo)

    async def staff_member(self, demo: DemoStaffMember) -> None:
        if await self.existing(STAFF, demo.email) is not None:
            return
        async with self.database.transaction() as session:
            await create_person(
                session,
                STAFF,
                caller=self.admin,
                values=self._person(demo)
                | {"staff_role": demo.staff_role.value, "department": demo.department},
            )
        self.created.append(demo.email)

    async def patient(self, demo: DemoPatient) -> None:
        if await self.existing(PATIENTS, demo.email) is not None:
            return
        async with self.database.transaction() as session:
            row = await create_person(
                session,
                PATIENTS,
                caller=self.admin,
                values=self._person(demo)
                | {
                    "date_of_birth": demo.date_of_birth,
                    "sex": demo.sex.value,
                    "phone": demo.phone,
                    "country": "GB",
                },
            )
            for email in demo.care_team:
                await assign_patient(
                    session, caller=self.admin, patient_id=row.id, doctor_id=self.doctors[email][0]
                )
        # Each visit is booked in a transaction of its own, as a client's booking is.
        for visit in demo.visits:
            await self._visit(row.id, visit)
        for emergency in (e for e in DEMO_BREAK_GLASS if e.patient == demo.email):
            async with self.database.transaction() as session:
                await declare_break_glass(
                    session,
                    caller=_caller(Role.DOCTOR, self.user_ids[emergency.doctor]),
                    patient_id=row.id,
                    reason=emergency.reason,
                    minutes=emergency.minutes,
                    now=datetime.now(UTC) - timedelta(hours=emergency.hours),
                )
        self.created.append(demo.email)

    def _person(self, demo: DemoDoctor | DemoStaffMember | DemoPatient) -> dict[str, Any]:
        return {
            "given_name": demo.given_name,
            "family_name": demo.family_name,
            "email": demo.email,
            "user_id": self.user_ids[demo.email],
        }

    async def _visit(self, patient_id: uuid.UUID, visit: DemoVisit) -> None:
        doctor_id, doctor = self.doctors[visit.doctor]
        day = working_day(self.today, visit.weekdays)
        starts_at = datetime.combine(day, visit.at, tzinfo=ZoneInfo(TIME_ZONE))
        ends_at = starts_at + timedelta(minutes=doctor.appointment_minutes)
        appointment = await book_appointment(
            self.database,
            caller=self.admin,
            patient_id=patient_id,
            doctor_id=doctor_id,
            starts_at=starts_at,
            reason=visit.reason,
            # a past visit was booked a week ahead
            now=min(datetime.now(UTC), starts_at - timedelta(days=7)),
        )
        if visit.outcome is Outcome.UPCOMING:
            return
        async with self.database.transaction() as session:
            if visit.outcome is Outcome.NO_SHOW:
                await mark_no_show(
                    session, caller=self.admin, appointment_id=appointment.id, now=ends_at
                )
                return
            await complete_appointment(
                session, caller=self.admin, appointment_id=appointment.id, now=ends_at
            )
            clinician = _caller(Role.DOCTOR, self.user_ids[visit.doctor])
            if visit.record is not None:
                record = await create_record(
                    session,
                    caller=clinician,
                    patient_id=patient_id,
                    content=visit.record,
                    appointment_id=appointment.id,
                    encounter_at=starts_at,
                )
                if visit.amendment is not None:
                    await update_record(
                        session,
                        caller=clinician,
                        record_id=record.id,
                        expected_version=record.version,
                        changes=visit.amendment,
                    )
            if visit.prescription is not None:
                await issue_prescription(
                    session,
                    caller=clinician,
                    keys=self.keys,
                    patient_id=patient_id,
                    order=dict(visit.prescription),
                )


async def seed_clinic(
    database: Database,
    *,
    production: bool,
    admin_user_id: uuid.UUID,
    user_ids: Mapping[str, uuid.UUID],
    keys: PrescriptionKeys,
    clinic: DemoClinic = DEMO_CLINIC,
    today: date | None = None,
) -> list[str]:
    """Write ``clinic`` for the auth users in ``user_ids`` (email -> user id), acting as the admin.

    Returns the emails of the people created now (empty when the clinic was already there).
    Refuses in production.
    """
    if production:
        raise Conflict("Refusing to seed a demo clinic in production.")
    async with database.transaction() as session:
        await keys.register(session)
    seeding = _Seeding(
        database,
        _caller(Role.ADMIN, admin_user_id),
        user_ids,
        keys,
        today or datetime.now(ZoneInfo(TIME_ZONE)).date(),
    )
    for doctor in clinic.doctors:
        await seeding.doctor(doctor)
    for member in clinic.staff:
        await seeding.staff_member(member)
    for patient in clinic.patients:
        await seeding.patient(patient)
    return seeding.created
