"""The access rules for every role, point checks and list filters agreeing, with the audit trail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from subgraphs.clinical.access import authorize_and_record
from subgraphs.clinical.access import service as access
from subgraphs.clinical.access.audit import AccessedRecord, record_access
from subgraphs.clinical.access.care import link_doctor_to_patient
from subgraphs.clinical.access.models import CareSource
from subgraphs.clinical.access.policy import (
    AccessBasis,
    AccessDecision,
    AccessPurpose,
    authorize_patient_access,
    authorize_patients_access,
)
from subgraphs.clinical.people import service as people
from subgraphs.clinical.people.models import Patient, StaffRole
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, DomainError, Forbidden, NotFound, Unauthenticated
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

P = AccessPurpose


async def decide(
    db: Database, caller: Caller, patient: Patient, purpose: AccessPurpose, **kwargs: object
) -> AccessBasis | type[DomainError]:
    async with db.transaction() as session:
        try:
            decision = await authorize_patient_access(
                session,
                caller,
                patient.id,
                purpose=purpose,
                **kwargs,  # type: ignore[arg-type]
            )
        except DomainError as error:
            return type(error)
    return decision.basis


async def visible(db: Database, caller: Caller) -> set[uuid.UUID]:
    async with db.transaction() as session:
        page = await people.list_patients(session, caller=caller, first=100)
    return {p.id for p in page.items}


async def test_patient_sees_only_themself(database: Database) -> None:
    me = await new_patient(database, linked=True)
    other = await new_patient(database)
    caller = caller_of(me)
    for purpose in (P.DEMOGRAPHICS, P.APPOINTMENTS, P.CLINICAL_READ):
        assert await decide(database, caller, me, purpose) is AccessBasis.SELF
        assert await decide(database, caller, other, purpose) is NotFound
    assert await decide(database, caller, me, P.CLINICAL_WRITE) is NotFound
    assert await decide(database, caller, me, P.PRESCRIBE) is NotFound
    assert await visible(database, caller) == {me.id}
    unlinked = make_caller(Role.PATIENT)
    assert await decide(database, unlinked, me, P.DEMOGRAPHICS) is NotFound
    assert await visible(database, unlinked) == set()


async def test_doctor_sees_patients_through_appointments_encounters_and_assignments(
    database: Database, admin: Caller
) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    me = caller_of(doctor)
    booked, encountered, assigned, stranger = [await new_patient(database) for _ in range(4)]
    for purpose in P:
        assert await decide(database, me, stranger, purpose) is Forbidden
    await book(database, booked, doctor, at(next_monday(), 9))
    async with database.transaction() as session:
        await link_doctor_to_patient(
            session,
            doctor_id=doctor.id,
            patient_id=encountered.id,
            source=CareSource.ENCOUNTER,
            actor=admin.actor,
        )
        await access.assign_patient(
            session, caller=admin, patient_id=assigned.id, doctor_id=doctor.id, note="Ward round"
        )
    for patient in (booked, encountered, assigned):
        for purpose in P:
            assert await decide(database, me, patient, purpose) is AccessBasis.CARE_RELATIONSHIP
    assert await visible(database, me) == {booked.id, encountered.id, assigned.id}
    async with database.transaction() as session:
        await access.unassign_patient(
            session, caller=admin, patient_id=assigned.id, doctor_id=doctor.id
        )
        with pytest.raises(NotFound):
            await access.unassign_patient(
                session, caller=admin, patient_id=assigned.id, doctor_id=doctor.id
            )
    assert await decide(database, me, assigned, P.DEMOGRAPHICS) is Forbidden
    assert await visible(database, me) == {booked.id, encountered.id}
    unlinked = make_caller(Role.DOCTOR)
    assert await decide(database, unlinked, booked, P.DEMOGRAPHICS) is Forbidden
    async with database.transaction() as session:
        with pytest.raises(Forbidden):
            await access.assign_patient(
                session, caller=me, patient_id=stranger.id, doctor_id=doctor.id
            )


async def test_staff_see_demographics_and_appointments_and_notes_by_role(
    database: Database,
) -> None:
    patient = await new_patient(database)
    expected = {
        StaffRole.RECEPTIONIST: {P.DEMOGRAPHICS, P.APPOINTMENTS},
        StaffRole.PORTER: {P.DEMOGRAPHICS, P.APPOINTMENTS},
        StaffRole.LAB_TECHNICIAN: {P.DEMOGRAPHICS, P.APPOINTMENTS, P.CLINICAL_READ},
        StaffRole.PHARMACIST: {P.DEMOGRAPHICS, P.APPOINTMENTS, P.CLINICAL_READ},
        StaffRole.NURSE: {P.DEMOGRAPHICS, P.APPOINTMENTS, P.CLINICAL_READ, P.CLINICAL_WRITE},
    }
    for staff_role, allowed in expected.items():
        caller = caller_of(await new_staff(database, staff_role))
        for purpose in P:
            outcome = await decide(database, caller, patient, purpose)
            assert outcome is (AccessBasis.STAFF_ROLE if purpose in allowed else Forbidden), (
                staff_role,
                purpose,
            )
    assert patient.id in await visible(database, caller)
    assert await decide(database, make_caller(Role.STAFF), patient, P.DEMOGRAPHICS) is Forbidden


async def test_admin_reads_notes_only_through_audited_time_limited_break_glass(
    database: Database, admin: Caller
) -> None:
    patient = await new_patient(database)
    assert await decide(database, admin, patient, P.DEMOGRAPHICS) is AccessBasis.ADMINISTRATION
    assert await decide(database, admin, patient, P.APPOINTMENTS) is AccessBasis.ADMINISTRATION
    for purpose in (P.CLINICAL_READ, P.CLINICAL_WRITE, P.PRESCRIBE):
        assert await decide(database, admin, patient, purpose) is Forbidden
    async with database.transaction() as session:
        with pytest.raises(BadUserInput, match="at least"):
            await access.declare_break_glass(
                session, caller=admin, patient_id=patient.id, reason="need"
            )
        with pytest.raises(BadUserInput, match="minutes"):
            await access.declare_break_glass(
                session,
                caller=admin,
                patient_id=patient.id,
                reason="Unconscious in A&E",
                minutes=600,
            )
        with pytest.raises(NotFound):
            await access.declare_break_glass(
                session, caller=admin, patient_id=uuid.uuid4(), reason="Unconscious in A&E"
            )
        with pytest.raises(Forbidden):
            await access.declare_break_glass(
                session,
                caller=caller_of(await new_staff(database, StaffRole.NURSE)),
                patient_id=patient.id,
                reason="Unconscious in A&E",
            )
        grant = await access.declare_break_glass(
            session, caller=admin, patient_id=patient.id, reason="Unconscious in A&E", minutes=15
        )
    async with database.transaction() as session:
        decision = await authorize_patient_access(
            session, admin, patient.id, purpose=P.CLINICAL_READ, reason="checking allergies"
        )
    assert decision == AccessDecision(
        patient.id,
        P.CLINICAL_READ,
        AccessBasis.BREAK_GLASS,
        "Unconscious in A&E (checking allergies)",
        break_glass_grant_id=grant.id,
    )
    assert await decide(database, admin, patient, P.CLINICAL_WRITE) is Forbidden
    later = datetime.now(UTC) + timedelta(minutes=16)
    assert await decide(database, admin, patient, P.CLINICAL_READ, now=later) is Forbidden
    async with database.session() as session:
        [event] = (
            await session.exec(
                select(OutboxEvent).where(col(OutboxEvent.type) == "access.break_glass")
            )
        ).all()
    assert event.topic == "audit.access"
    assert event.actor == admin.actor
    assert event.payload["reason"] == "Unconscious in A&E"
    assert event.payload["patientId"] == str(patient.id)


async def test_doctor_break_glass_opens_a_stranger_for_a_while(database: Database) -> None:
    doctor = caller_of(await new_doctor(database))
    stranger = await new_patient(database)
    assert await decide(database, doctor, stranger, P.CLINICAL_WRITE) is Forbidden
    async with database.transaction() as session:
        await access.declare_break_glass(
            session, caller=doctor, patient_id=stranger.id, reason="Cardiac arrest on ward 3"
        )
    for purpose in P:
        assert await decide(database, doctor, stranger, purpose) is AccessBasis.BREAK_GLASS
    assert stranger.id in await visible(database, doctor)


async def test_batch_decisions_and_unknown_patients(database: Database, admin: Caller) -> None:
    patient = await new_patient(database)
    missing = uuid.uuid4()
    async with database.transaction() as session:
        outcomes = await authorize_patients_access(
            session, admin, [patient.id, missing, patient.id], purpose=P.DEMOGRAPHICS
        )
        assert set(outcomes) == {patient.id, missing}
        assert isinstance(outcomes[patient.id], AccessDecision)
        assert isinstance(outcomes[missing], NotFound)
        with pytest.raises(Unauthenticated):
            await authorize_patient_access(
                session, Caller.anonymous(), patient.id, purpose=P.DEMOGRAPHICS
            )


async def test_every_read_is_recorded_with_who_what_and_why(
    database: Database, admin: Caller
) -> None:
    patient = await new_patient(database)
    async with database.transaction() as session:
        decision = await authorize_patient_access(
            session, admin, patient.id, purpose=P.DEMOGRAPHICS, reason="Insurance query"
        )
        await record_access(
            session,
            admin,
            [decision],
            records=[AccessedRecord("patient", str(patient.id), patient.id)],
        )
        with pytest.raises(ValueError, match="without an access decision"):
            await record_access(
                session,
                admin,
                [],
                records=[AccessedRecord("patient", str(patient.id), patient.id)],
            )
    async with database.transaction() as session:
        await people.get_patient(session, caller=admin, patient_id=patient.id)
    async with database.session() as session:
        events = (
            await session.exec(
                select(OutboxEvent)
                .where(col(OutboxEvent.type) == "access.read")
                .order_by(col(OutboxEvent.position))
            )
        ).all()
    assert len(events) == 2
    first = events[0]
    assert (first.topic, first.actor, first.aggregate_type) == (
        "audit.access",
        admin.actor,
        "access_log",
    )
    assert first.payload["patients"] == [
        {
            "patientId": str(patient.id),
            "purpose": "DEMOGRAPHICS",
            "basis": "ADMINISTRATION",
            "reason": "Insurance query",
            "breakGlassGrantId": None,
        }
    ]
    assert first.payload["records"] == [
        {"type": "patient", "id": str(patient.id), "patientId": str(patient.id)}
    ]
    assert first.payload["role"] == "ADMIN"
    assert first.payload["tokenId"] == admin.token_id


async def test_the_audited_gate_accepts_action_names(database: Database) -> None:
    doctor = await with_schedule(database, await new_doctor(database))
    patient = await new_patient(database)
    await book(database, patient, doctor, at(next_monday(), 9))
    me = caller_of(doctor)
    async with database.transaction() as session:
        read = await authorize_and_record(
            session, me, patient.id, purpose="medical_record.read", record_id="record-1"
        )
        written = await authorize_and_record(
            session, me, patient.id, purpose="prescription.write", reason="Repeat"
        )
        await authorize_and_record(session, me, patient.id, purpose=P.DEMOGRAPHICS)
    assert (read.purpose, written.purpose) == (P.CLINICAL_READ, P.PRESCRIBE)
    async with database.transaction() as session:
        with pytest.raises(NotFound):
            await authorize_and_record(
                session,
                caller_of(await new_patient(database, linked=True)),
                patient.id,
                purpose="medical_record.read",
            )
    async with database.session() as session:
        events = (
            await session.exec(
                select(OutboxEvent)
                .where(col(OutboxEvent.topic) == "audit.access")
                .order_by(col(OutboxEvent.position))
            )
        ).all()
    granted = [e for e in events if e.type != "access.denied"]
    assert [
        (e.type, e.payload["records"][0]["type"], e.payload["records"][0]["id"]) for e in granted
    ] == [
        ("access.read", "medical_record", "record-1"),
        ("access.write", "prescription", str(patient.id)),
        ("access.read", "patient", str(patient.id)),
    ]
    assert granted[1].payload["patients"][0]["reason"] == "Repeat"
    # The refusal is kept although its transaction rolled back.
    [denied] = [e for e in events if e.type == "access.denied"]
    assert denied.payload["reason"] == "NOT_OWN_RECORD"
    assert denied.payload["patientIds"] == [str(patient.id)]
    assert denied.payload["target"] == {"type": "medical_record", "id": str(patient.id)}
    with pytest.raises(ValueError, match="not a valid AccessPurpose"):
        AccessPurpose("medical_record.delete")
