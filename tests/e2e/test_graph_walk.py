"""Through the router, one query walks auth's ``me`` into clinical's chart: a patient's visits,
records and prescriptions, a doctor's own appointments; a field the caller may not see is null
with its error while its siblings survive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.stack import DemoStack, graphql

# Through the whole demo stack (router, auth, clinical, billing), started once per session.
pytestmark = pytest.mark.slow

CHART = """
{
  me {
    email
    patient {
      familyName
      appointments(first: 20) { nodes { status startsAt doctor { familyName } } }
      medicalRecords(first: 20) { nodes { encounterAt diagnoses { code } } }
      prescriptions(first: 20) { nodes { medication status } }
    }
  }
}
"""
DOCTOR = """
query ($from: DateTime!, $to: DateTime!) {
  me { doctor { familyName appointments(first: 20) { nodes { patient { familyName } } } } }
  doctors(first: 5) { nodes { familyName availability(from: $from, to: $to) { startsAt } } }
}
"""
ADMIN = """
{ patients(first: 3) { nodes { familyName appointments(first: 1) { nodes { id } } medicalRecords { nodes { id } } } } }
"""


def test_the_patient_reads_their_chart_in_one_query(demo_stack: DemoStack) -> None:
    answer = graphql(demo_stack.url(), CHART, demo_stack.sign_in("PATIENT"))
    assert "errors" not in answer, answer
    chart = answer["data"]["me"]["patient"]
    assert chart["appointments"]["nodes"], chart
    assert all(a["doctor"]["familyName"] for a in chart["appointments"]["nodes"])
    assert chart["medicalRecords"]["nodes"], chart
    assert chart["prescriptions"]["nodes"], chart


def test_the_doctor_reads_their_appointments_and_the_directory(demo_stack: DemoStack) -> None:
    start = datetime.now(UTC)
    span = {"from": start.isoformat(), "to": (start + timedelta(days=7)).isoformat()}
    answer = graphql(demo_stack.url(), DOCTOR, demo_stack.sign_in("DOCTOR"), **span)
    assert "errors" not in answer, answer
    me = answer["data"]["me"]["doctor"]
    assert me["appointments"]["nodes"], me
    assert all(a["patient"]["familyName"] for a in me["appointments"]["nodes"])
    assert answer["data"]["doctors"]["nodes"], answer


def test_admin_gets_the_patients_with_records_null(demo_stack: DemoStack) -> None:
    answer = graphql(demo_stack.url(), ADMIN, demo_stack.sign_in("ADMIN"))
    patients = answer["data"]["patients"]["nodes"]
    assert patients, answer
    assert all(p["familyName"] and p["medicalRecords"] is None for p in patients), answer
    refused = {tuple(e["path"]) for e in answer["errors"]}
    assert refused == {("patients", "nodes", i, "medicalRecords") for i in range(len(patients))}
    assert {e["extensions"]["code"] for e in answer["errors"]} <= {
        "FORBIDDEN",
        "UNAUTHORIZED_FIELD_OR_TYPE",
    }
