"""SMART scopes derived from the shared role -> scope table."""

from __future__ import annotations

import pytest

from subgraphs.clinical.fhir.smart import Mode, require_smart, smart_scopes
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import Forbidden, Unauthenticated
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
