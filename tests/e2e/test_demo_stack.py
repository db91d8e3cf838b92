"""The shared demo stack: every seeded role signs in through the router and finds the clinic,
and the desk finds the demo's insurance claims, submitted once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from subgraphs.billing.seed import DEMO_INSURER
from subgraphs.stack.demo_claims import DemoClaim, submit_demo_claims
from tests.support.stack import DemoStack, graphql

_CLAIMS = """
query($from: Date!, $to: Date!) {
  claims(first: 200) { invoiceId status codes payer policyNumber anchorTransactionHash }
  claimsByStatus(from: $from, to: $to) { status currency claims }
}
"""


@pytest.mark.slow
@pytest.mark.parametrize("role", ["ADMIN", "DOCTOR", "STAFF", "PATIENT"])
def test_each_seeded_role_signs_in_through_the_router(demo_stack: DemoStack, role: str) -> None:
    token = demo_stack.sign_in(role)
    answer = graphql(demo_stack.url(), "{ me { role } }", token)
    assert answer == {"data": {"me": {"role": role}}}


@pytest.mark.slow
def test_seeded_patient_sees_upcoming_visits_and_doctor_lists_patients(
    demo_stack: DemoStack,
) -> None:
    patient = demo_stack.sign_in("PATIENT")
    upcoming = graphql(
        demo_stack.url(),
        "query($f: AppointmentFilter) { appointments(filter: $f) { nodes "
        "{ startsAt status reason doctor { familyName specialty } } } }",
        patient,
        f={"from": datetime.now(UTC).isoformat(), "statuses": ["BOOKED"]},
    )
    assert "errors" not in upcoming, upcoming
    visits = {
        (node["reason"], node["doctor"]["specialty"])
        for node in upcoming["data"]["appointments"]["nodes"]
    }
    assert {("Follow-up: cough", "General practice"), ("ECG review", "Cardiology")} <= visits

    doctor = demo_stack.sign_in("DOCTOR")
    listed = graphql(demo_stack.url(), "{ patients { nodes { givenName familyName } } }", doctor)
    assert "errors" not in listed, listed
    names = {f"{p['givenName']} {p['familyName']}" for p in listed["data"]["patients"]["nodes"]}
    assert {"Pat Patient", "Lucie Moreau", "Mateo Alvarez"} <= names
    assert "Kenji Tanaka" not in names  # in paediatrics' care, not this GP's


@pytest.mark.slow
def test_the_demo_has_claims_of_several_statuses_submitted_once(demo_stack: DemoStack) -> None:
    assert "Insurance claims: 1 submitted, 1 approved, 1 paid." in demo_stack.output
    url, admin = demo_stack.url(), demo_stack.sign_in("ADMIN")
    today = datetime.now(UTC).date().isoformat()

    def demo_claims() -> list[dict[str, Any]]:
        answer = graphql(url, _CLAIMS, admin, **{"from": today, "to": today})
        assert "errors" not in answer, answer
        report = {row["status"]: row["claims"] for row in answer["data"]["claimsByStatus"]}
        assert all(report[status] >= 1 for status in ("SUBMITTED", "APPROVED", "PAID")), report
        return [c for c in answer["data"]["claims"] if c["payer"] == DEMO_INSURER]

    seeded = demo_claims()  # other tests' claims name another payer
    assert sorted(claim["status"] for claim in seeded) == ["APPROVED", "PAID", "SUBMITTED"]
    assert all(claim["anchorTransactionHash"] for claim in seeded)  # anchored on billing's chain

    # submitted again (as a second seed would): each invoice has its claim, none is added
    again = [
        DemoClaim(c["invoiceId"], tuple(c["codes"]), c["payer"], c["policyNumber"]) for c in seeded
    ]
    with httpx.Client(timeout=30) as client:
        assert submit_demo_claims(client, url, demo_stack.sign_in("STAFF"), again) == []
    assert len(demo_claims()) == 3
