"""Walking the graph: a patient's appointments, records and prescriptions, a doctor's
appointments and free slots, each refused field null with its error, batched per request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col

from subgraphs.clinical.people.models import Doctor, Patient, StaffRole
from subgraphs.common.context import Role
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.conftest import ClinicalApi, make_caller
from tests.subgraphs.clinical.factories import (
    at,
    break_glass,
    caller_of,
    count_rows,
    in_care,
    new_doctor,
    new_patient,
    new_staff,
    next_monday,
    token_of,
)
from tests.subgraphs.clinical.test_loaders import counting

CREATE_RECORD = """
mutation ($input: CreateMedicalRecordInput!) { createMedicalRecord(input: $input) { id } }
"""
ISSUE = """
mutation ($input: IssuePrescriptionInput!) { issuePrescription(input: $input) { id } }
"""
CHART = """
query ($id: ID!, $first: Int, $after: String) {
  patient(id: $id) {
    familyName
    appointments { nodes { id status doctor { familyName } } }
    medicalRecords(first: $first, after: $after) {
      nodes { notes } pageInfo { hasNextPage endCursor }
    }
    prescriptions { nodes { medication status } }
  }
}
"""
DOCTOR = """
query ($id: ID!, $from: DateTime!, $to: DateTime!) {
  doctor(id: $id) {
    familyName
    appointments(from: $from, to: $to) { nodes { patient { familyName } startsAt } }
    availability(from: $from, to: $to) { startsAt endsAt }
  }
}
"""


async def _chart(api: ClinicalApi, *, records: int = 3) -> tuple[Patient, Doctor]:
    """A linked patient in a doctor's care (one booking), with records and one prescription."""
    patient = await new_patient(api.database, linked=True)
    doctor = await new_doctor(api.database)
    await in_care(api.database, patient, doctor)
    for n in range(records):
        body = await api.execute(
            CREATE_RECORD,
            {"input": {"patientId": str(patient.id), "notes": f"visit {n}"}},
            token=token_of(doctor),
        )
        assert "errors" not in body, body
    order = {
        "patientId": str(patient.id),
        "medication": "Amoxicillin 500 mg capsules",
        "dose": "500 mg",
        "route": "ORAL",
        "frequency": "three times daily",
        "quantity": 21,
    }
    issued = await api.execute(ISSUE, {"input": order}, token=token_of(doctor))
    assert "errors" not in issued, issued
    return patient, doctor


def _codes(body: dict[str, Any]) -> dict[tuple[str | int, ...], str]:
    return {tuple(e["path"]): e["extensions"]["code"] for e in body.get("errors", [])}


async def test_the_patient_and_their_doctor_walk_the_whole_chart(clinical_api: ClinicalApi) -> None:
    patient, doctor = await _chart(clinical_api)
    for caller in (caller_of(patient), caller_of(doctor)):
        body = await clinical_api.execute(CHART, {"id": str(patient.id), "first": 2}, caller=caller)
        assert "errors" not in body, body
        chart = body["data"]["patient"]
        [appointment] = chart["appointments"]["nodes"]
        assert appointment["doctor"]["familyName"] == doctor.family_name
        assert [r["notes"] for r in chart["medicalRecords"]["nodes"]] == ["visit 2", "visit 1"]
        assert chart["prescriptions"]["nodes"][0]["status"] == "ACTIVE"
        # The next page resumes after the cursor, as the root field's does.
        cursor = chart["medicalRecords"]["pageInfo"]["endCursor"]
        assert chart["medicalRecords"]["pageInfo"]["hasNextPage"] is True
        rest = await clinical_api.execute(
            CHART, {"id": str(patient.id), "first": 2, "after": cursor}, caller=caller
        )
        records = rest["data"]["patient"]["medicalRecords"]
        assert [r["notes"] for r in records["nodes"]] == ["visit 0"]
        assert records["pageInfo"]["hasNextPage"] is False


async def test_a_patient_sees_no_one_else_and_a_doctor_only_their_care(
    clinical_api: ClinicalApi,
) -> None:
    patient, _ = await _chart(clinical_api)
    stranger = await new_patient(clinical_api.database, linked=True)
    other_doctor = await new_doctor(clinical_api.database)
    for caller in (caller_of(stranger), caller_of(other_doctor)):
        body = await clinical_api.execute(CHART, {"id": str(patient.id)}, caller=caller)
        assert body["data"]["patient"] is None
        assert set(_codes(body).values()) <= {"FORBIDDEN", "NOT_FOUND"}, body


async def test_admin_gets_the_patient_with_records_null_and_one_error(
    clinical_api: ClinicalApi,
) -> None:
    patient, doctor = await _chart(clinical_api)
    admin = make_caller(Role.ADMIN)
    denials_before = await count_rows(
        clinical_api.database, OutboxEvent, col(OutboxEvent.type) == "access.denied"
    )
    body = await clinical_api.execute(CHART, {"id": str(patient.id)}, caller=admin)
    chart = body["data"]["patient"]
    assert chart["familyName"] == patient.family_name
    assert chart["medicalRecords"] is None
    assert chart["prescriptions"] is None
    assert chart["appointments"]["nodes"][0]["doctor"]["familyName"] == doctor.family_name
    assert _codes(body) == {
        ("patient", "medicalRecords"): "FORBIDDEN",
        ("patient", "prescriptions"): "FORBIDDEN",
    }
    assert "Cannot return null" not in str(body)
    # The refusals are still in the audit trail.
    denials_after = await count_rows(
        clinical_api.database, OutboxEvent, col(OutboxEvent.type) == "access.denied"
    )
    assert denials_after >= denials_before + 2

    # Break-glass opens them, as it does the root fields.
    await break_glass(clinical_api.database, admin, patient, "incident review 11")
    opened = await clinical_api.execute(CHART, {"id": str(patient.id)}, caller=admin)
    assert "errors" not in opened, opened
    assert len(opened["data"]["patient"]["medicalRecords"]["nodes"]) == 3


async def test_staff_see_what_their_role_allows(clinical_api: ClinicalApi) -> None:
    patient, _ = await _chart(clinical_api)
    desk = caller_of(await new_staff(clinical_api.database, StaffRole.RECEPTIONIST))
    body = await clinical_api.execute(CHART, {"id": str(patient.id)}, caller=desk)
    chart = body["data"]["patient"]
    assert len(chart["appointments"]["nodes"]) == 1
    assert chart["medicalRecords"] is None
    assert _codes(body)[("patient", "medicalRecords")] == "FORBIDDEN"
    nurse = caller_of(await new_staff(clinical_api.database, StaffRole.NURSE))
    body = await clinical_api.execute(CHART, {"id": str(patient.id)}, caller=nurse)
    assert len(body["data"]["patient"]["appointments"]["nodes"]) == 1


async def test_missing_scope_is_null_with_its_error_and_siblings_survive(
    clinical_api: ClinicalApi,
) -> None:
    patient, _ = await _chart(clinical_api)
    narrow = make_caller(
        Role.PATIENT, user_id=patient.user_id, scopes=["patients:read:own", "records:read:own"]
    )
    body = await clinical_api.execute(CHART, {"id": str(patient.id)}, caller=narrow)
    chart = body["data"]["patient"]
    assert chart["appointments"] is None
    assert chart["prescriptions"] is None
    assert len(chart["medicalRecords"]["nodes"]) == 3
    assert _codes(body) == {
        ("patient", "appointments"): "FORBIDDEN",
        ("patient", "prescriptions"): "FORBIDDEN",
    }


async def test_doctor_appointments_and_availability(clinical_api: ClinicalApi) -> None:
    patient, doctor = await _chart(clinical_api, records=0)
    start = at(next_monday(), 0)
    span = {
        "id": str(doctor.id),
        "from": start.isoformat(),
        "to": (start + timedelta(days=28)).isoformat(),
    }
    body = await clinical_api.execute(DOCTOR, span, caller=caller_of(doctor))
    assert "errors" not in body, body
    mine = body["data"]["doctor"]
    assert [a["patient"]["familyName"] for a in mine["appointments"]["nodes"]] == [
        patient.family_name
    ]
    booked = body["data"]["doctor"]["appointments"]["nodes"][0]["startsAt"]
    assert mine["availability"]
    assert booked not in {slot["startsAt"] for slot in mine["availability"]}
    # Another patient sees the doctor's free slots but none of their other patients' visits.
    stranger = caller_of(await new_patient(clinical_api.database, linked=True))
    seen = await clinical_api.execute(DOCTOR, span, caller=stranger)
    assert seen["data"]["doctor"]["appointments"]["nodes"] == []
    assert seen["data"]["doctor"]["availability"] == mine["availability"]
    # A bad span is that field's error alone.
    wrong = {**span, "to": span["from"]}
    refused = await clinical_api.execute(DOCTOR, wrong, caller=caller_of(doctor))
    assert refused["data"]["doctor"]["familyName"] == doctor.family_name
    assert refused["data"]["doctor"]["availability"] is None
    assert _codes(refused) == {("doctor", "availability"): "BAD_USER_INPUT"}


PATIENTS_WALK = """
query ($first: Int!) {
  patients(first: $first) {
    nodes {
      appointments(first: 5) { nodes { id } }
      medicalRecords(first: 5) { nodes { notes } }
      prescriptions(first: 5) { nodes { medication } }
    }
  }
}
"""
DOCTORS_WALK = """
query ($first: Int!, $from: DateTime!, $to: DateTime!) {
  doctors(first: $first) {
    nodes { appointments(first: 5) { nodes { id } } availability(from: $from, to: $to) { startsAt } }
  }
}
"""


async def test_statements_do_not_grow_with_the_parents(clinical_api: ClinicalApi) -> None:
    db = clinical_api.database
    doctor = await new_doctor(db)
    for _ in range(12):
        # Every patient is in ``doctor``'s care and has a visit with a doctor of their own,
        # so every page the caller walks has rows (and audit events) of the same shape.
        patient = await new_patient(db)
        await in_care(db, patient, doctor)
        await in_care(db, patient, await new_doctor(db))
        await clinical_api.execute(
            CREATE_RECORD,
            {"input": {"patientId": str(patient.id), "notes": "seen"}},
            token=token_of(doctor),
        )
    me = caller_of(doctor)
    start = at(next_monday(), 0)
    span = {"from": start.isoformat(), "to": (start + timedelta(days=7)).isoformat()}
    costs: dict[int, tuple[int, int]] = {}
    for size in (3, 12):
        with counting(clinical_api) as statements:
            body = await clinical_api.execute(PATIENTS_WALK, {"first": size}, caller=me)
        assert "errors" not in body, body
        patients = body["data"]["patients"]["nodes"]
        assert len(patients) == size
        assert all(len(p["medicalRecords"]["nodes"]) == 1 for p in patients)
        assert all(len(p["appointments"]["nodes"]) == 2 for p in patients)
        with counting(clinical_api) as doctor_statements:
            body = await clinical_api.execute(DOCTORS_WALK, {"first": size, **span}, caller=me)
        assert "errors" not in body, body
        assert len(body["data"]["doctors"]["nodes"]) == size
        costs[size] = (len(statements), len(doctor_statements))
    # Patients: the page (with its access check), then per field one access check, one page
    # query and one audit event (insert + notify). Doctors: the page, then appointments and
    # the slots (doctors, schedules, hours, exceptions, bookings) in one batch each.
    assert costs[3] == costs[12], costs
    assert costs[12][0] <= 20, costs  # measured: (20, 12)
    assert costs[12][1] <= 12, costs
