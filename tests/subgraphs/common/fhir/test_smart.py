"""SMART scopes derived from the shared role -> scope table."""

from __future__ import annotations

import pytest

from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import Forbidden, Unauthenticated
from subgraphs.common.fhir.smart import Mode, require_smart, scopes_for, smart_scopes
from tests.support.callers import make_caller


def test_each_role_gets_the_smart_scopes_of_its_own_scopes() -> None:
    patient = smart_scopes(make_caller(Role.PATIENT))
    assert {
        "patient/Patient.read",
        "patient/Appointment.write",
        "patient/Encounter.read",
    } <= patient
    assert not any(scope.startswith("user/Patient") for scope in patient)
    doctor = smart_scopes(make_caller(Role.DOCTOR))
    assert {"user/Patient.read", "user/Appointment.write", "user/MedicationRequest.read"} <= doctor
    assert "user/Patient.write" not in doctor
    admin = smart_scopes(make_caller(Role.ADMIN))
    assert "user/Patient.write" in admin
    assert "user/Encounter.read" in admin  # break-glass only: the row rules demand a grant


def test_require_smart() -> None:
    require_smart(make_caller(Role.PATIENT), "Appointment", Mode.WRITE)
    with pytest.raises(Forbidden):
        require_smart(make_caller(Role.PATIENT), "Patient", Mode.WRITE)
    with pytest.raises(Forbidden):
        require_smart(
            make_caller(Role.PATIENT, scopes=["profile:read", "bogus"]), "Patient", Mode.READ
        )
    with pytest.raises(Unauthenticated):
        require_smart(Caller.anonymous(), "Patient", Mode.READ)


def test_billing_types_follow_the_billing_scopes() -> None:
    patient = smart_scopes(make_caller(Role.PATIENT))
    assert {"patient/Invoice.read", "patient/Claim.read", "patient/Coverage.read"} <= patient
    staff = smart_scopes(make_caller(Role.STAFF))
    assert {"user/Invoice.read", "user/Claim.read", "user/Coverage.read"} <= staff
    require_smart(make_caller(Role.PATIENT), "Invoice", Mode.READ)
    with pytest.raises(Forbidden):
        require_smart(make_caller(Role.PATIENT), "Invoice", Mode.WRITE)
    assert scopes_for(["Coverage"]) == ["patient/Coverage.read", "user/Coverage.read"]
