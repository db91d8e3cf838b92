"""Through the router: a refused and a granted read of a patient both reach the patient's accessLog."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.support.stack import DemoStack, graphql

_OUTSIDER = "dr.lindqvist@demo.healthgraph.test"
_ME = "{ me { id } }"
_PATIENT = "query($id: ID!) { patient(id: $id) { id } }"
_LOG = """
query($id: ID!) {
  accessLog(patientId: $id, first: 50) {
    nodes { actorUserId actorRole action allowed reason parts { type id } }
  }
}
"""


def _data(answer: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data


def _own_patient(stack: DemoStack, user_id: str) -> str:
    """The seeded PATIENT's clinical profile, created by ADMIN unless it exists."""
    mine = _data(
        graphql(stack.url(), "{ patients(first: 1) { nodes { id } } }", stack.sign_in("PATIENT"))
    )
    if mine["patients"]["nodes"]:
        return str(mine["patients"]["nodes"][0]["id"])
    created = graphql(
        stack.url(),
        'mutation($u: ID!) { createPatient(input: {givenName: "Pat", familyName: "Auditcase", '
        'dateOfBirth: "1985-05-05", sex: FEMALE, userId: $u}) { id } }',
        stack.sign_in("ADMIN"),
        u=user_id,
    )
    return str(_data(created)["createPatient"]["id"])


def _own_doctor(stack: DemoStack, user_id: str) -> str:
    """A seeded doctor's clinical profile, created by ADMIN unless it exists."""
    admin = stack.sign_in("ADMIN")
    after = None
    while True:
        page = _data(
            graphql(
                stack.url(),
                "query($a: String) { doctors(first: 100, after: $a) "
                "{ nodes { id user { id } } pageInfo { hasNextPage endCursor } } }",
                admin,
                a=after,
            )
        )["doctors"]
        for node in page["nodes"]:
            if node["user"] and node["user"]["id"] == user_id:
                return str(node["id"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    created = graphql(
        stack.url(),
        'mutation($u: ID!) { createDoctor(input: {givenName: "Dana", familyName: "Auditcase", '
        'specialty: "General practice", licenceNumber: "AUD-0001", userId: $u}) { id } }',
        admin,
        u=user_id,
    )
    return str(_data(created)["createDoctor"]["id"])


@pytest.mark.slow
def test_the_patient_sees_a_refused_and_a_granted_read(demo_stack: DemoStack) -> None:
    url = demo_stack.url()
    admin, patient = demo_stack.sign_in("ADMIN"), demo_stack.sign_in("PATIENT")
    # The demo clinic's paediatrician neither cares for nor sees the seeded patient.
    doctor = demo_stack.sign_in_as(_OUTSIDER)
    doctor_user = _data(graphql(url, _ME, doctor))["me"]["id"]
    patient_id = _own_patient(demo_stack, _data(graphql(url, _ME, patient))["me"]["id"])
    doctor_id = _own_doctor(demo_stack, doctor_user)

    # Not (yet) in the patient's care team: refused, and recorded.
    refused = graphql(url, _PATIENT, doctor, id=patient_id)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", refused
    _data(
        graphql(
            url,
            "mutation($p: ID!, $d: ID!) { assignPatientToDoctor(patientId: $p, doctorId: $d) }",
            admin,
            p=patient_id,
            d=doctor_id,
        )
    )
    assert _data(graphql(url, _PATIENT, doctor, id=patient_id))["patient"]["id"] == patient_id

    deadline = time.monotonic() + 30
    while True:
        nodes = _data(graphql(url, _LOG, patient, id=patient_id))["accessLog"]["nodes"]
        by_doctor = [n for n in nodes if n["actorUserId"] == doctor_user and n["action"] == "read"]
        outcomes = {(n["allowed"], n["reason"]) for n in by_doctor}
        if {(True, None), (False, "NO_CARE_RELATIONSHIP")} <= outcomes:
            break
        assert time.monotonic() < deadline, nodes
        time.sleep(0.5)
    granted = next(n for n in by_doctor if n["allowed"])
    assert granted["parts"] == [{"type": "patient", "id": patient_id}]
    # Another patient's log stays closed to this patient, through the router too.
    other = graphql(url, _LOG, patient, id="00000000-0000-4000-8000-000000000000")
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND", other
