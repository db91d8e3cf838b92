"""Medical record rules on a real database: versions, history, conflicts, access, no hard delete."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select

from subgraphs.clinical.people.models import Doctor, Patient, StaffRole
from subgraphs.clinical.records import service
from subgraphs.clinical.records.models import MedicalRecord
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Conflict, Forbidden, NotFound
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.conftest import make_caller
from tests.subgraphs.clinical.factories import (
    break_glass,
    caller_of,
    in_care,
    new_doctor,
    new_patient,
    new_staff,
)


async def _care(database: Database) -> tuple[Patient, Doctor, uuid.UUID]:
    patient = await new_patient(database, linked=True)
    doctor = await new_doctor(database)
    appointment = (await in_care(database, patient, doctor)).id
    return patient, doctor, appointment


async def _create(
    database: Database, doctor: Doctor, patient: Patient, **extra: object
) -> MedicalRecord:
    async with database.transaction() as session:
        return await service.create_record(
            session,
            caller=caller_of(doctor),
            patient_id=patient.id,
            content={"notes": "Initial assessment", "vitals": {"heart_rate_bpm": 80}},
            **extra,  # type: ignore[arg-type]
        )


async def _update(
    database: Database, caller: Caller, record: MedicalRecord, version: int, **changes: Any
) -> MedicalRecord:
    async with database.transaction() as session:
        return await service.update_record(
            session,
            caller=caller,
            record_id=record.id,
            expected_version=version,
            changes=changes,
        )


async def _events(database: Database, topic: str) -> list[OutboxEvent]:
    async with database.session() as session:
        rows = await session.exec(
            select(OutboxEvent)
            .where(OutboxEvent.topic == topic)
            .order_by(col(OutboxEvent.position))
        )
        return list(rows.all())


async def test_every_change_is_a_new_version_with_author_and_event(database: Database) -> None:
    patient, doctor, appointment = await _care(database)
    nurse = await new_staff(database, StaffRole.NURSE)
    record = await _create(database, doctor, patient, appointment_id=appointment)
    assert record.version == 1

    async with database.transaction() as session:
        updated = await service.update_record(
            session,
            caller=caller_of(nurse),
            record_id=record.id,
            expected_version=1,
            changes={
                "vitals": {"heart_rate_bpm": 76, "systolic_mmhg": 128, "diastolic_mmhg": 82},
                "allergies": [{"substance": "Penicillin", "severity": "SEVERE"}],
            },
            reason="triage",
        )
    assert updated.version == 2

    async with database.transaction() as session:
        history = await service.record_history(
            session, caller=caller_of(doctor), record_id=record.id
        )
    assert [version.version for version in history] == [1, 2]
    assert history[0].changed_fields == ["notes", "vitals"]
    assert history[0].changed_by == caller_of(doctor).actor
    assert history[1].changed_fields == ["vitals", "allergies"]
    assert history[1].changed_by == caller_of(nurse).actor
    assert history[1].changed_by_role == "STAFF"
    assert history[1].reason == "triage"
    assert history[0].content["vitals"]["heart_rate_bpm"] == 80  # old versions never change
    assert history[1].content["vitals"]["heart_rate_bpm"] == 76

    events = await _events(database, "clinical.records")
    assert [(event.type, event.payload["version"], event.actor) for event in events] == [
        ("record.changed", 1, caller_of(doctor).actor),
        ("record.changed", 2, caller_of(nurse).actor),
    ]
    assert events[1].payload["changedFields"] == ["vitals", "allergies"]
    assert events[1].payload["patientId"] == str(patient.id)
    assert "content" not in events[1].payload  # no clinical content on the bus


async def test_stale_version_is_a_conflict_and_no_op_makes_no_version(database: Database) -> None:
    patient, doctor, _ = await _care(database)
    record = await _create(database, doctor, patient)
    same = await _update(database, caller_of(doctor), record, 1, notes="Initial assessment")
    assert same.version == 1
    await _update(database, caller_of(doctor), record, 1, notes="Revised")
    with pytest.raises(Conflict) as caught:
        await _update(database, caller_of(doctor), record, 1, notes="Lost update")
    assert caught.value.extensions == {"currentVersion": 2}


async def test_archive_is_a_version_and_nothing_is_ever_deleted(database: Database) -> None:
    patient, doctor, _ = await _care(database)
    record = await _create(database, doctor, patient)
    with pytest.raises(BadUserInput, match="reason is required"):
        async with database.transaction() as session:
            await service.archive_record(
                session,
                caller=caller_of(doctor),
                record_id=record.id,
                expected_version=1,
                reason=" ",
            )
    async with database.transaction() as session:
        archived = await service.archive_record(
            session,
            caller=caller_of(doctor),
            record_id=record.id,
            expected_version=1,
            reason="entered for the wrong patient",
        )
    assert (archived.status, archived.version) == ("ARCHIVED", 2)
    with pytest.raises(Conflict, match="archived"):
        await _update(database, caller_of(doctor), record, 2, notes="x")
    async with database.transaction() as session:
        page = await service.list_records(session, caller=caller_of(doctor), patient_id=patient.id)
        assert page.items == []
        page = await service.list_records(
            session, caller=caller_of(doctor), patient_id=patient.id, include_archived=True
        )
        assert [item.id for item in page.items] == [record.id]

    for statement in (
        "DELETE FROM medical_record",
        "DELETE FROM medical_record_version",
        "UPDATE medical_record_version SET reason = 'rewritten'",
        "TRUNCATE medical_record_version CASCADE",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with database.transaction() as session:
                await (await session.connection()).execute(text(statement))


async def test_access_rules_guard_reads_and_writes(database: Database) -> None:
    patient, doctor, _ = await _care(database)
    record = await _create(database, doctor, patient)
    stranger = await new_doctor(database)
    receptionist = await new_staff(database, StaffRole.RECEPTIONIST)
    admin = make_caller(Role.ADMIN)

    async with database.transaction() as session:
        own = await service.get_record(session, caller=caller_of(patient), record_id=record.id)
    assert own.id == record.id
    with pytest.raises(Forbidden):
        await _update(database, caller_of(patient), record, 1, notes="patients do not edit")
    for caller in (caller_of(stranger), caller_of(receptionist), admin):
        with pytest.raises(Forbidden):
            async with database.transaction() as session:
                await service.get_record(session, caller=caller, record_id=record.id)
    await break_glass(database, admin, patient, "incident 42 review")  # emergency access
    async with database.transaction() as session:
        found = await service.get_record(
            session, caller=admin, record_id=record.id, reason="ticket 42"
        )
    assert found.id == record.id
    reads = [e for e in await _events(database, "audit.access") if e.type == "access.read"]
    assert [event.actor for event in reads] == [caller_of(patient).actor, admin.actor]
    assert reads[1].payload["records"] == [
        {"type": "medical_record", "id": str(record.id), "patientId": str(patient.id)}
    ]
    assert reads[1].payload["patients"][0]["basis"] == "BREAK_GLASS"


async def test_appointment_ties_are_checked(database: Database) -> None:
    patient, doctor, appointment = await _care(database)
    other_patient = await new_patient(database, linked=True)
    await in_care(database, other_patient, doctor)
    with pytest.raises(NotFound):
        await _create(database, doctor, patient, appointment_id=uuid.uuid4())
    with pytest.raises(BadUserInput, match="another patient"):
        await _create(database, doctor, other_patient, appointment_id=appointment)
    await _create(database, doctor, patient, appointment_id=appointment)
    with pytest.raises(Conflict, match="already has a medical record"):
        await _create(database, doctor, patient, appointment_id=appointment)


async def test_bad_input_writes_nothing(database: Database) -> None:
    patient, doctor, _ = await _care(database)
    with pytest.raises(BadUserInput):
        async with database.transaction() as session:
            await service.create_record(
                session,
                caller=caller_of(doctor),
                patient_id=patient.id,
                content={"diagnoses": [{"code": "not-a-code", "text": "x"}]},
            )
    with pytest.raises(BadUserInput, match="future"):
        await _create(database, doctor, patient, encounter_at=datetime.now(UTC) + timedelta(days=2))
    assert await _events(database, "clinical.records") == []


async def test_pagination_newest_encounter_first(database: Database) -> None:
    patient, doctor, _ = await _care(database)
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    created = [
        await _create(database, doctor, patient, encounter_at=start + timedelta(days=day))
        for day in range(5)
    ]
    seen: list[uuid.UUID] = []
    after: str | None = None
    while True:
        async with database.transaction() as session:
            page = await service.list_records(
                session, caller=caller_of(doctor), patient_id=patient.id, first=2, after=after
            )
        seen += [item.id for item in page.items]
        if not page.has_next_page:
            break
        after = page.cursors[-1]
    assert seen == [record.id for record in reversed(created)]
    with pytest.raises(BadUserInput, match="cursor"):
        async with database.transaction() as session:
            await service.list_records(
                session, caller=caller_of(doctor), patient_id=patient.id, after="garbage!"
            )
