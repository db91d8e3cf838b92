"""Medical records through GraphQL: mutations, queries, history and stable error codes."""

from __future__ import annotations

from subgraphs.common.context import Role
from tests.subgraphs.clinical.conftest import ClinicalApi, make_caller
from tests.subgraphs.clinical.factories import (
    break_glass,
    in_care,
    new_doctor,
    new_patient,
    token_of,
)
from tests.support.callers import token_for

CREATE = """
mutation Create($input: CreateMedicalRecordInput!) {
  createMedicalRecord(input: $input) {
    id version status notes notesFormat notesHtml
    vitals { heartRateBpm temperatureC }
    diagnoses { code text primary }
    allergies { substance severity }
  }
}
"""

UPDATE = """
mutation Update($input: UpdateMedicalRecordInput!) {
  updateMedicalRecord(input: $input) { id version notes diagnoses { code } medications { name } }
}
"""

HISTORY = """
query History($id: ID!) {
  medicalRecordHistory(recordId: $id) { version changedFields changedBy changedByRole notes }
}
"""


async def test_create_update_and_history(clinical_api: ClinicalApi) -> None:
    patient = await new_patient(clinical_api.database, linked=True)
    doctor = await new_doctor(clinical_api.database)
    appointment = (await in_care(clinical_api.database, patient, doctor)).id
    created = await clinical_api.execute(
        CREATE,
        {
            "input": {
                "patientId": str(patient.id),
                "appointmentId": str(appointment),
                "notes": "**Chest pain**, resolved.\n\n<script>alert(1)</script>",
                "notesFormat": "MARKDOWN",
                "vitals": {"heartRateBpm": 88, "temperatureC": 37.1},
                "diagnoses": [{"code": "r07.9", "text": "Chest pain", "primary": True}],
                "allergies": [{"substance": "Latex", "severity": "MODERATE"}],
            }
        },
        token=token_of(doctor),
    )
    assert "errors" not in created, created
    record = created["data"]["createMedicalRecord"]
    assert record["version"] == 1
    assert record["diagnoses"] == [{"code": "R07.9", "text": "Chest pain", "primary": True}]
    assert "<strong>Chest pain</strong>" in record["notesHtml"]
    assert "<script>" not in record["notesHtml"]
    assert "<script>" in record["notes"]  # stored as written, only ever rendered escaped

    updated = await clinical_api.execute(
        UPDATE,
        {
            "input": {
                "recordId": record["id"],
                "expectedVersion": 1,
                "medications": [{"name": "Aspirin", "dose": "75 mg"}],
                "diagnoses": None,
            }
        },
        token=token_of(doctor),
    )
    assert updated["data"]["updateMedicalRecord"]["version"] == 2
    assert updated["data"]["updateMedicalRecord"]["diagnoses"] == []

    history = await clinical_api.execute(HISTORY, {"id": record["id"]}, token=token_of(patient))
    versions = history["data"]["medicalRecordHistory"]
    assert [version["changedFields"] for version in versions] == [
        ["notes", "notesFormat", "vitals", "diagnoses", "allergies"],
        ["diagnoses", "medications"],
    ]
    assert {version["changedBy"] for version in versions} == {str(doctor.user_id)}


async def test_error_codes(clinical_api: ClinicalApi) -> None:
    patient = await new_patient(clinical_api.database, linked=True)
    doctor = await new_doctor(clinical_api.database)
    await in_care(clinical_api.database, patient, doctor)
    base = {"patientId": str(patient.id)}

    anonymous = await clinical_api.execute(CREATE, {"input": base})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    as_patient = await clinical_api.execute(CREATE, {"input": base}, token=token_of(patient))
    assert as_patient["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    bad_code = await clinical_api.execute(
        CREATE,
        {"input": {**base, "diagnoses": [{"code": "chest pain", "text": "x"}]}},
        token=token_of(doctor),
    )
    error = bad_code["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert list(error["extensions"]["fields"]) == ["diagnoses.0.code"]

    bad_id = await clinical_api.execute(
        CREATE, {"input": {"patientId": "nope"}}, token=token_of(doctor)
    )
    assert bad_id["errors"][0]["extensions"] == {"field": "patientId", "code": "BAD_USER_INPUT"}

    created = await clinical_api.execute(CREATE, {"input": base}, token=token_of(doctor))
    record_id = created["data"]["createMedicalRecord"]["id"]
    for _ in range(2):
        stale = await clinical_api.execute(
            UPDATE,
            {"input": {"recordId": record_id, "expectedVersion": 1, "notes": "again"}},
            token=token_of(doctor),
        )
    assert stale["errors"][0]["extensions"] == {"code": "CONFLICT", "currentVersion": 2}

    unknown = await clinical_api.execute(
        "query($id: ID!) { medicalRecord(id: $id) { id } }",
        {"id": "00000000-0000-4000-8000-000000000000"},
        token=token_of(doctor),
    )
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_list_and_break_glass(clinical_api: ClinicalApi) -> None:
    patient = await new_patient(clinical_api.database, linked=True)
    doctor = await new_doctor(clinical_api.database)
    await in_care(clinical_api.database, patient, doctor)
    for notes in ("first", "second", "third"):
        await clinical_api.execute(
            CREATE,
            {"input": {"patientId": str(patient.id), "notes": notes}},
            token=token_of(doctor),
        )
    listing = """
    query($patient: ID!, $after: String, $reason: String) {
      medicalRecords(patientId: $patient, first: 2, after: $after, reason: $reason) {
        edges { cursor node { notes } } pageInfo { hasNextPage endCursor }
      }
    }
    """
    first = await clinical_api.execute(
        listing, {"patient": str(patient.id)}, token=token_of(doctor)
    )
    assert "errors" not in first, first
    page = first["data"]["medicalRecords"]
    assert len(page["edges"]) == 2
    assert page["pageInfo"]["hasNextPage"] is True
    second = await clinical_api.execute(
        listing,
        {"patient": str(patient.id), "after": page["pageInfo"]["endCursor"]},
        token=token_of(doctor),
    )
    assert len(second["data"]["medicalRecords"]["edges"]) == 1
    assert second["data"]["medicalRecords"]["pageInfo"]["hasNextPage"] is False

    admin = make_caller(Role.ADMIN)
    denied = await clinical_api.execute(
        listing, {"patient": str(patient.id)}, token=token_for(admin)
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await break_glass(clinical_api.database, admin, patient, "incident review 7")
    allowed = await clinical_api.execute(
        listing, {"patient": str(patient.id), "reason": "ticket 7"}, token=token_for(admin)
    )
    assert len(allowed["data"]["medicalRecords"]["edges"]) == 2
