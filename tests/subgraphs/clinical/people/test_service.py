"""People service: create, read, update, archive, list and search, with validation."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import col, select

from subgraphs.clinical.appointments import service as appointments
from subgraphs.clinical.people import service
from subgraphs.clinical.people.models import StaffRole
from subgraphs.clinical.people.mrn import is_mrn
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Conflict, Forbidden, NotFound
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.conftest import make_caller
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


async def events(db: Database, prefix: str) -> list[OutboxEvent]:
    async with db.session() as session:
        rows = await session.exec(
            select(OutboxEvent)
            .where(col(OutboxEvent.type).startswith(prefix))
            .order_by(col(OutboxEvent.position))
        )
        return list(rows.all())


async def test_create_patient_generates_mrn_and_event(database: Database, admin: Caller) -> None:
    async with database.transaction() as session:
        patient = await service.create_person(
            session,
            service.PATIENTS,
            caller=admin,
            values={
                "given_name": "  Mary  Ann ",
                "family_name": "O'Brien-Smith",
                "date_of_birth": date(1975, 6, 30),
                "sex": "FEMALE",
                "email": "Mary@Example.ORG",
                "phone": "+44 (20) 7946-0958",
                "country": "gb",
            },
        )
    assert is_mrn(patient.mrn)
    assert patient.given_name == "Mary Ann"
    assert patient.email == "Mary@example.org"
    assert patient.phone == "+442079460958"
    assert patient.country == "GB"
    [event] = await events(database, "patient.")
    assert event.type == "patient.created"
    assert event.topic == "clinical.events"
    assert event.actor == admin.actor
    assert event.payload == {
        "patientId": str(patient.id),
        "mrn": patient.mrn,
        "version": 1,
        "userId": None,
        "insurer": None,
        "policyNumber": None,
    }


async def test_validation_reports_every_bad_field(database: Database, admin: Caller) -> None:
    async with database.transaction() as session:
        with pytest.raises(BadUserInput) as raised:
            await service.create_person(
                session,
                service.PATIENTS,
                caller=admin,
                values={
                    "given_name": "X" * 101,
                    "date_of_birth": datetime.now(UTC).date() + timedelta(days=1),
                    "sex": "ROBOT",
                    "email": "not-an-email",
                    "phone": "12345",
                    "country": "GBR",
                    "emergency_contact_name": "Bob\x00",
                },
            )
    assert raised.value.extensions["fields"] == {
        "givenName": "must be at most 100 characters",
        "dateOfBirth": "must not be in the future",
        "sex": "must be one of FEMALE, MALE, OTHER, UNKNOWN",
        "email": "must be a valid email address",
        "phone": "must be an international phone number such as +44 20 7946 0958",
        "country": "must be at most 2 characters",
        "emergencyContactName": "must not contain control characters",
        "familyName": "is required",
    }
    assert await events(database, "patient.") == []


async def test_update_changes_only_given_fields_and_checks_version(
    database: Database, admin: Caller
) -> None:
    patient = await new_patient(database, email="a@example.org", city="Leeds")
    async with database.transaction() as session:
        updated = await service.update_person(
            session,
            service.PATIENTS,
            caller=admin,
            person_id=patient.id,
            changes={"email": None, "phone": "+33 1 23 45 67 89"},
            expected_version=1,
        )
    assert (updated.email, updated.phone, updated.city, updated.version) == (
        None,
        "+33123456789",
        "Leeds",
        2,
    )
    async with database.transaction() as session:
        with pytest.raises(Conflict):
            await service.update_person(
                session,
                service.PATIENTS,
                caller=admin,
                person_id=patient.id,
                changes={"city": "York"},
                expected_version=1,
            )
        with pytest.raises(BadUserInput, match="familyName is required"):
            await service.update_person(
                session,
                service.PATIENTS,
                caller=admin,
                person_id=patient.id,
                changes={"family_name": "   "},
            )
    [_, event] = await events(database, "patient.")
    assert event.type == "patient.updated"
    assert event.payload["fields"] == ["email", "phone"]


async def test_unknown_ids_and_duplicate_links(database: Database, admin: Caller) -> None:
    doctor = await new_doctor(database)
    async with database.transaction() as session:
        with pytest.raises(NotFound):
            await service.update_person(
                session,
                service.DOCTORS,
                caller=admin,
                person_id=uuid.uuid4(),
                changes={"specialty": "Cardiology"},
            )
    async with database.transaction() as session:
        with pytest.raises(Conflict, match="licence number"):
            await service.create_person(
                session,
                service.DOCTORS,
                caller=admin,
                values={
                    "given_name": "Other",
                    "family_name": "Doctor",
                    "specialty": "Cardiology",
                    "licence_number": doctor.licence_number.lower(),
                },
            )
    async with database.transaction() as session:
        with pytest.raises(Conflict, match="already linked"):
            await service.create_person(
                session,
                service.DOCTORS,
                caller=admin,
                values={
                    "given_name": "Other",
                    "family_name": "Doctor",
                    "specialty": "Cardiology",
                    "licence_number": "NEW-1",
                    "user_id": doctor.user_id,
                },
            )


async def test_who_may_manage_people(database: Database) -> None:
    receptionist = caller_of(await new_staff(database, StaffRole.RECEPTIONIST))
    porter = caller_of(await new_staff(database, StaffRole.PORTER))
    doctor = caller_of(await new_doctor(database))
    values = {
        "given_name": "New",
        "family_name": "Patient",
        "date_of_birth": date(2001, 2, 3),
        "sex": "MALE",
    }
    async with database.transaction() as session:
        created = await service.create_person(
            session, service.PATIENTS, caller=receptionist, values=values
        )
    for caller in (porter, doctor, make_caller(Role.PATIENT)):
        async with database.transaction() as session:
            with pytest.raises(Forbidden):
                await service.create_person(session, service.PATIENTS, caller=caller, values=values)
    async with database.transaction() as session:
        with pytest.raises(Forbidden):
            await service.create_person(
                session,
                service.DOCTORS,
                caller=receptionist,
                values={
                    "given_name": "A",
                    "family_name": "B",
                    "specialty": "C",
                    "licence_number": "ABC",
                },
            )
        with pytest.raises(Forbidden):
            await service.archive_person(
                session, service.PATIENTS, caller=receptionist, person_id=created.id
            )


async def test_archive_hides_from_lists_and_blocks_changes(
    database: Database, admin: Caller
) -> None:
    kept = await new_patient(database, family_name="Keeper")
    gone = await new_patient(database, family_name="Leaver")
    async with database.transaction() as session:
        archived = await service.archive_person(
            session, service.PATIENTS, caller=admin, person_id=gone.id, reason="Moved abroad"
        )
    assert archived.archived_at is not None
    assert archived.archive_reason == "Moved abroad"
    async with database.transaction() as session:
        page = await service.list_patients(session, caller=admin)
        assert [p.id for p in page.items] == [kept.id]
        page = await service.list_patients(session, caller=admin, include_archived=True)
        assert {p.id for p in page.items} == {kept.id, gone.id}
        with pytest.raises(BadUserInput, match="archived"):
            await service.update_person(
                session, service.PATIENTS, caller=admin, person_id=gone.id, changes={"city": "Oslo"}
            )


async def test_search_by_name_words_and_mrn_with_cursor_pages(
    database: Database, admin: Caller
) -> None:
    names = [("Anna", "Lindqvist"), ("Anne", "Lind"), ("Bo", "Lindberg"), ("Carl", "Svensson")]
    made = [await new_patient(database, given_name=g, family_name=f) for g, f in names]
    async with database.transaction() as session:
        first = await service.list_patients(session, caller=admin, search="lind", first=2)
        assert [p.family_name for p in first.items] == ["Lind", "Lindberg"]
        assert first.has_next_page
        second = await service.list_patients(
            session, caller=admin, search="lind", first=2, after=first.end_cursor
        )
        assert [p.family_name for p in second.items] == ["Lindqvist"]
        assert not second.has_next_page
        both_words = await service.list_patients(session, caller=admin, search="ann lind")
        assert [p.given_name for p in both_words.items] == ["Anne", "Anna"]
        by_mrn = await service.list_patients(session, caller=admin, search=made[3].mrn)
        assert [p.id for p in by_mrn.items] == [made[3].id]
        wildcard = await service.list_patients(session, caller=admin, search="%")
        assert wildcard.items == []
        with pytest.raises(BadUserInput):
            await service.list_patients(session, caller=admin, after="garbage")
        with pytest.raises(BadUserInput):
            await service.list_patients(session, caller=admin, first=101)


async def test_directories(database: Database) -> None:
    cardiologist = await new_doctor(database, specialty="Cardiology", family_name="Heart")
    await new_doctor(database, specialty="Dermatology")
    nurse = await new_staff(database, StaffRole.NURSE, department="Ward 7")
    patient = make_caller(Role.PATIENT)
    async with database.transaction() as session:
        page = await service.list_doctors(session, caller=patient, specialty="cardiology")
        assert [d.id for d in page.items] == [cardiologist.id]
        staff = await service.list_staff_members(
            session, caller=caller_of(cardiologist), staff_role=StaffRole.NURSE
        )
        assert [s.id for s in staff.items] == [nurse.id]
        with pytest.raises(Forbidden):
            await service.list_staff_members(session, caller=patient)


async def test_archiving_refuses_people_with_upcoming_appointments(
    database: Database, admin: Caller
) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database)
    appointment = await book(database, patient, doctor, at(next_monday(), 9))
    for kind, person in ((service.PATIENTS, patient), (service.DOCTORS, doctor)):
        async with database.transaction() as session:
            with pytest.raises(Conflict, match="1 upcoming appointment") as raised:
                await service.archive_person(session, kind, caller=admin, person_id=person.id)
        assert raised.value.extensions["appointments"] == [str(appointment.id)]
    async with database.transaction() as session:
        await appointments.cancel_appointment(
            session, caller=admin, appointment_id=appointment.id, reason="Moving away"
        )
        archived = await service.archive_person(
            session, service.PATIENTS, caller=admin, person_id=patient.id
        )
    assert archived.archived_at is not None
    with pytest.raises(BadUserInput, match="archived"):
        await book(database, patient, doctor, at(next_monday(), 10))
