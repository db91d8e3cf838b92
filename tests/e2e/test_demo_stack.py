"""The shared demo stack: every seeded role signs in through the router and finds the clinic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.stack import DemoStack, graphql


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
