"""Record entries, prescriptions, the directory and availability as FHIR, with the same row rules and audit."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

from sqlmodel import col

from subgraphs.clinical.prescriptions import service as prescriptions
from subgraphs.clinical.prescriptions.keys import load_or_create_signing_key
from subgraphs.clinical.prescriptions.registry import PrescriptionKeys
from subgraphs.clinical.records import service as records
from subgraphs.common.context import Role
from subgraphs.common.events.topics import AUDIT_ACCESS
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.factories import (
    at,
    caller_of,
    count_rows,
    in_care,
    new_doctor,
    new_patient,
    next_monday,
    token_of,
    with_schedule,
)
from tests.subgraphs.clinical.fhir.conftest import FhirServer, valid
from tests.subgraphs.clinical.prescriptions.test_service import ORDER
from tests.support.callers import make_caller, token_for

CONTENT = {
    "notes": "Cough for a week.",
    "vitals": {"heart_rate_bpm": 88, "temperature_c": 38.2},
    "diagnoses": [{"code": "J20.9", "text": "Acute bronchitis", "primary": True}],
}


async def test_records_as_encounter_observation_condition_with_versions(fhir: FhirServer) -> None:
    patient = await new_patient(fhir.database, linked=True)
    doctor = await new_doctor(fhir.database)
    stranger = await new_doctor(fhir.database)
    await in_care(fhir.database, patient, doctor)
    async with fhir.database.transaction() as session:
        record = await records.create_record(
            session, caller=caller_of(doctor), patient_id=patient.id, content=CONTENT
        )
    async with fhir.database.transaction() as session:
        await records.update_record(
            session,
            caller=caller_of(doctor),
            record_id=record.id,
            expected_version=1,
            changes={"notes": "Cough for a week; improving."},
        )
    client = fhir.client(token_of(patient))  # a patient reads their own record
    encounters = await client.resources("Encounter").search().fetch_all()
    assert [e.id for e in encounters] == [str(record.id)]
    assert valid(encounters[0].serialize()).meta.versionId == "2"
    observations = (
        await client.resources("Observation").search(patient=f"Patient/{patient.id}").fetch_all()
    )
    by_code = {o["code"]["coding"][0]["code"]: valid(o.serialize()) for o in observations}
    assert by_code["8867-4"].valueQuantity.value == 88
    assert by_code["8310-5"].valueQuantity.code == "Cel"
    conditions = await client.resources("Condition").search().fetch_all()
    assert [c["code"]["coding"][0]["code"] for c in conditions] == ["J20.9"]
    async with fhir.http(token_of(patient)) as http:
        observation = await http.get(f"/Observation/{record.id}-hr")
        assert valid(observation.json()).id == f"{record.id}-hr"
        first = await http.get(f"/Encounter/{record.id}/_history/1")
        assert first.status_code == 200
        assert first.headers["etag"] == 'W/"1"'
        assert (
            len(valid((await http.get(f"/Encounter/{record.id}/_history")).json()).entry or []) == 2
        )
    async with fhir.http(token_of(stranger)) as http:
        refused = await http.get(f"/Encounter/{record.id}")
        assert refused.status_code == 403
        assert valid(refused.json()).issue[0].code == "forbidden"
        other = await http.get("/Encounter", params={"patient": f"Patient/{patient.id}"})
        assert other.status_code == 403


async def test_prescription_with_its_signature_as_provenance(
    fhir: FhirServer, tmp_path: Path
) -> None:
    patient = await new_patient(fhir.database, linked=True)
    doctor = await new_doctor(fhir.database)
    await in_care(fhir.database, patient, doctor)
    keys = PrescriptionKeys(load_or_create_signing_key(tmp_path / "prescriber.pem"))
    async with fhir.database.transaction() as session:
        await keys.register(session)
        issued = await prescriptions.issue_prescription(
            session,
            caller=caller_of(doctor),
            keys=keys,
            patient_id=patient.id,
            order=ORDER,
        )
    client = fhir.client(token_of(patient))
    [request] = await client.resources("MedicationRequest").search().fetch_all()
    assert (
        valid(request.serialize()).medicationCodeableConcept.text == "Amoxicillin 500 mg capsules"
    )
    [provenance] = (
        await client.resources("Provenance")
        .search(target=f"MedicationRequest/{issued.id}")
        .fetch_all()
    )
    signature = valid(provenance.serialize()).signature[0]
    assert signature.sigFormat == "application/jose"
    jws = base64.b64decode(provenance["signature"][0]["data"]).decode()
    async with fhir.database.session() as session:
        verdict = await prescriptions.verify_prescription(session, keys=keys, jws=jws)
    assert verdict.status is prescriptions.VerificationStatus.VALID


async def test_directory_schedule_and_free_slots(fhir: FhirServer) -> None:
    doctor = await with_schedule(fhir.database, await new_doctor(fhir.database), minutes=30)
    patient = await new_patient(fhir.database, linked=True)
    client = fhir.client(token_of(patient))
    practitioner = await client.reference("Practitioner", str(doctor.id)).to_resource()
    assert valid(practitioner.serialize()).identifier[0].value == doctor.licence_number
    role = await client.reference("PractitionerRole", str(doctor.id)).to_resource()
    assert valid(role.serialize()).specialty[0].text == doctor.specialty
    [schedule] = (
        await client.resources("Schedule").search(actor=f"Practitioner/{doctor.id}").fetch_all()
    )
    assert valid(schedule.serialize()).active is True
    day = next_monday()
    start = at(day, 8)
    slots = (
        await client.resources("Slot")
        .search(
            schedule=f"Schedule/{doctor.id}",
            start=[f"ge{start.isoformat()}", f"lt{(start + timedelta(hours=1)).isoformat()}"],
        )
        .fetch_all()
    )
    assert [valid(s.serialize()).start for s in slots] == [start, start + timedelta(minutes=30)]


async def test_every_read_is_audited(fhir: FhirServer) -> None:
    patient = await new_patient(fhir.database, linked=True)
    audit = (col(OutboxEvent.topic) == AUDIT_ACCESS.name, col(OutboxEvent.type) == "access.read")
    before = await count_rows(fhir.database, OutboxEvent, *audit)
    client = fhir.client(token_of(patient))
    await client.reference("Patient", str(patient.id)).to_resource()
    await client.resources("Patient").search().fetch_all()
    assert await count_rows(fhir.database, OutboxEvent, *audit) == before + 2


async def test_scopes_decide_the_resource_types(fhir: FhirServer) -> None:
    patient = await new_patient(fhir.database, linked=True)
    profile_only = token_for(
        make_caller(Role.PATIENT, user_id=patient.user_id, scopes=["profile:read"])
    )
    async with fhir.http(profile_only) as http:
        refused = await http.get(f"/Patient/{patient.id}")
        assert refused.status_code == 403
        body = refused.json()
        assert valid(body).issue[0].code == "forbidden"
        assert "patient/Patient.read" in body["issue"][0]["diagnostics"]
        directory = await http.get("/Practitioner")
        assert directory.status_code == 200
