"""Medical records through GraphQL: mutations, queries, history and stable error codes."""

from __future__ import annotations

import httpx

from tests.subgraphs.clinical.harness import gql
from tests.subgraphs.clinical.standin import People

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


async def test_create_update_and_history(client: httpx.AsyncClient, people: People) -> None:
    patient = await people.patient()
    doctor = await people.doctor()
    appointment = await people.appointment(patient, doctor)
    created = await gql(
        client,
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
        token=doctor.token,
    )
    assert "errors" not in created, created
    record = created["data"]["createMedicalRecord"]
    assert record["version"] == 1
    assert record["diagnoses"] == [{"code": "R07.9", "text": "Chest pain", "primary": True}]
    assert "<strong>Chest pain</strong>" in record["notesHtml"]
    assert "<script>" not in record["notesHtml"]
    assert "<script>" in record["notes"]  # stored as written, only ever rendered escaped

    updated = await gql(
        client,
        UPDATE,
        {
            "input": {
                "recordId": record["id"],
                "expectedVersion": 1,
                "medications": [{"name": "Aspirin", "dose": "75 mg"}],
                "diagnoses": None,
            }
        },
        token=doctor.token,
    )
    assert updated["data"]["updateMedicalRecord"]["version"] == 2
    assert updated["data"]["updateMedicalRecord"]["diagnoses"] == []

    history = await gql(client, HISTORY, {"id": record["id"]}, token=patient.token)
    versions = history["data"]["medicalRecordHistory"]
    assert [version["changedFields"] for version in versions] == [
        ["notes", "notesFormat", "vitals", "diagnoses", "allergies"],
        ["diagnoses", "medications"],
    ]
    assert {version["changedBy"] for version in versions} == {str(doctor.user_id)}


async def test_error_codes(client: httpx.AsyncClient, people: People) -> None:
    patient = await people.patient()
    doctor = await people.doctor()
    await people.appointment(patient, doctor)
    base = {"patientId": str(patient.id)}

    anonymous = await gql(client, CREATE, {"input": base})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    as_patient = await gql(client, CREATE, {"input": base}, token=patient.token)
    assert as_patient["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    bad_code = await gql(
        client,
        CREATE,
        {"input": {**base, "diagnoses": [{"code": "chest pain", "text": "x"}]}},
        token=doctor.token,
    )
    error = bad_code["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["fields"][0]["field"] == "diagnoses.0.code"

    bad_id = await gql(client, CREATE, {"input": {"patientId": "nope"}}, token=doctor.token)
    assert bad_id["errors"][0]["extensions"] == {"argument": "patientId", "code": "BAD_USER_INPUT"}

    created = await gql(client, CREATE, {"input": base}, token=doctor.token)
    record_id = created["data"]["createMedicalRecord"]["id"]
    for _ in range(2):
        stale = await gql(
            client,
            UPDATE,
            {"input": {"recordId": record_id, "expectedVersion": 1, "notes": "again"}},
            token=doctor.token,
        )
    assert stale["errors"][0]["extensions"] == {"code": "CONFLICT", "currentVersion": 2}

    unknown = await gql(
        client,
        "query($id: ID!) { medicalRecord(id: $id) { id } }",
        {"id": "00000000-0000-4000-8000-000000000000"},
        token=doctor.token,
    )
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_list_and_break_glass(client: httpx.AsyncClient, people: People) -> None:
    patient = await people.patient()
    doctor = await people.doctor()
    await people.appointment(patient, doctor)
    for notes in ("first", "second", "third"):
        await gql(
            client,
            CREATE,
            {"input": {"patientId": str(patient.id), "notes": notes}},
            token=doctor.token,
        )
    listing = """
    query($patient: ID!, $after: String, $reason: String) {
      medicalRecords(patientId: $patient, first: 2, after: $after, reason: $reason) {
        edges { cursor node { notes } } pageInfo { hasNextPage endCursor }
      }
    }
    """
    first = await gql(client, listing, {"patient": str(patient.id)}, token=doctor.token)
    assert "errors" not in first, first
    page = first["data"]["medicalRecords"]
    assert len(page["edges"]) == 2
    assert page["pageInfo"]["hasNextPage"] is True
    second = await gql(
        client,
        listing,
        {"patient": str(patient.id), "after": page["pageInfo"]["endCursor"]},
        token=doctor.token,
    )
    assert len(second["data"]["medicalRecords"]["edges"]) == 1
    assert second["data"]["medicalRecords"]["pageInfo"]["hasNextPage"] is False

    admin = people.admin()
    denied = await gql(client, listing, {"patient": str(patient.id)}, token=admin.token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await people.break_glass(admin, patient, "incident review 7")
    allowed = await gql(
        client, listing, {"patient": str(patient.id), "reason": "ticket 7"}, token=admin.token
    )
    assert len(allowed["data"]["medicalRecords"]["edges"]) == 2
