"""A patient correcting their own contact details (``update_my_contact_details``, over HTTP too)."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from subgraphs.clinical.people import service
from subgraphs.clinical.people.models import Patient
from subgraphs.common.context import Caller
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Conflict, Forbidden
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.conftest import ClinicalApi
from tests.subgraphs.clinical.factories import caller_of, new_doctor, new_patient, token_of

_UPDATE = """
mutation($input: ContactDetailsInput!) {
  updateMyContactDetails(input: $input) { id phone email address { city country } }
}
"""
_UPDATE_OTHER = """
mutation($id: ID!) { updatePatient(id: $id, input: {phone: "+442079460000"}) { id } }
"""


async def _events(db: Database, aggregate: str) -> list[OutboxEvent]:
    async with db.session() as session:
        rows = await session.exec(
            select(OutboxEvent)
            .where(col(OutboxEvent.payload)["patientId"].astext == aggregate)
            .order_by(col(OutboxEvent.position))
        )
        return list(rows.all())


async def _writes(db: Database, patient: Patient) -> list[OutboxEvent]:
    async with db.session() as session:
        rows = await session.exec(
            select(OutboxEvent)
            .where(OutboxEvent.type == "access.write", OutboxEvent.actor == str(patient.user_id))
            .order_by(col(OutboxEvent.position))
        )
        return list(rows.all())


async def _reload(db: Database, patient: Patient) -> Patient:
    async with db.session() as session:
        row = await session.get(Patient, patient.id)
    assert row is not None
    return row


async def test_a_patient_updates_their_phone_audited_and_evented(database: Database) -> None:
    patient = await new_patient(database, linked=True, phone="+441000000001")
    async with database.transaction() as session:
        row = await service.update_my_contact_details(
            session,
            caller=caller_of(patient),
            changes={"phone": "+44 (20) 7946-0958", "city": " Leeds "},
        )
    assert (row.phone, row.city, row.version) == ("+442079460958", "Leeds", 2)
    [created, updated] = await _events(database, str(patient.id))
    assert (created.type, updated.type) == ("patient.created", "patient.updated")
    assert updated.actor == str(patient.user_id)
    assert sorted(updated.payload["fields"]) == ["city", "phone"]
    [write] = await _writes(database, patient)
    assert write.topic == "audit.access"
    assert write.payload["patients"][0]["basis"] == "SELF"
    assert write.payload["records"] == [
        {"type": "patient", "id": str(patient.id), "patientId": str(patient.id)}
    ]


async def test_only_contact_fields_and_valid_values(database: Database) -> None:
    patient = await new_patient(database, linked=True)
    caller = caller_of(patient)
    async with database.transaction() as session:
        with pytest.raises(BadUserInput) as raised:
            await service.update_my_contact_details(
                session, caller=caller, changes={"family_name": "Other", "phone": "+441"}
            )
    assert raised.value.extensions["fields"] == {"familyName": "cannot be changed by a patient"}
    async with database.transaction() as session:
        with pytest.raises(BadUserInput) as raised:
            await service.update_my_contact_details(
                session, caller=caller, changes={"email": "nope", "country": "Narnia"}
            )
    assert set(raised.value.extensions["fields"]) == {"email", "country"}
    assert (await _reload(database, patient)).version == 1


async def test_expected_version_guards_lost_updates(database: Database) -> None:
    patient = await new_patient(database, linked=True)
    async with database.transaction() as session:
        with pytest.raises(Conflict):
            await service.update_my_contact_details(
                session, caller=caller_of(patient), changes={"phone": None}, expected_version=7
            )


async def test_only_patients_and_only_their_own(database: Database, admin: Caller) -> None:
    doctor = await new_doctor(database)
    mine, other = await new_patient(database, linked=True), await new_patient(database, linked=True)
    for caller in (caller_of(doctor), admin):
        async with database.transaction() as session:
            with pytest.raises(Forbidden):
                await service.update_my_contact_details(
                    session, caller=caller, changes={"phone": "+442079460001"}
                )
    async with database.transaction() as session:
        await service.update_my_contact_details(
            session, caller=caller_of(mine), changes={"phone": "+442079460002"}
        )
        with pytest.raises(Forbidden):  # the desk's path stays closed to patients
            await service.update_person(
                session,
                service.PATIENTS,
                caller=caller_of(mine),
                person_id=other.id,
                changes={"phone": "+442079460003"},
            )
    assert (await _reload(database, other)).phone is None


async def test_over_http(clinical_api: ClinicalApi, database: Database) -> None:
    mine, other = await new_patient(database, linked=True), await new_patient(database, linked=True)
    token = token_of(mine)
    body = await clinical_api.execute(
        _UPDATE,
        {"input": {"phone": "+442079460004", "address": {"city": "York", "country": "gb"}}},
        token=token,
    )
    assert body["data"]["updateMyContactDetails"] == {
        "id": str(mine.id),
        "phone": "+442079460004",
        "email": None,
        "address": {"city": "York", "country": "GB"},
    }
    bad = await clinical_api.execute(_UPDATE, {"input": {"email": "x@"}}, token=token)
    [error] = bad["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fields"] == {"email": error["extensions"]["fields"]["email"]}
    assert error["path"] == ["updateMyContactDetails"]
    refused = await clinical_api.execute(_UPDATE_OTHER, {"id": str(other.id)}, token=token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await _reload(database, other)).phone is None
