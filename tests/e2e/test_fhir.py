"""FHIR R4 on the running demo stack: an integrator's ``fhirpy`` client at clinical's ``/fhir/R4``."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhirpy import SyncFHIRClient

from tests.support.stack import DemoStack


def _base(stack: DemoStack) -> str:
    return stack.url("clinical").removesuffix("/graphql") + "/fhir/R4"


@pytest.mark.slow
def test_fhir_patients_through_the_demo_stack(demo_stack: DemoStack) -> None:
    base = _base(demo_stack)
    metadata = httpx.get(f"{base}/metadata", timeout=30)
    assert CapabilityStatement.model_validate(metadata.json()).fhirVersion == "4.3.0"

    admin = SyncFHIRClient(base, authorization=f"Bearer {demo_stack.sign_in('ADMIN')}")
    family = f"Fhirdemo{uuid.uuid4().hex[:8]}".replace("0", "o").translate(
        str.maketrans("123456789", "abcdefghi")
    )
    created = admin.resource(
        "Patient",
        name=[{"family": family, "given": ["Ines"]}],
        birthDate="1990-02-03",
        gender="female",
    )
    created.save()
    assert Patient.model_validate(created.serialize()).meta.versionId == "1"
    found = admin.resources("Patient").search(name=family, birthdate="1990-02-03").fetch_all()
    assert [p.id for p in found] == [created.id]

    patient_token = demo_stack.sign_in("PATIENT")
    own = httpx.get(
        f"{base}/Patient", headers={"authorization": f"Bearer {patient_token}"}, timeout=30
    )
    bundle = Bundle.model_validate(own.json())
    assert created.id not in {entry.resource.id for entry in bundle.entry or []}
    other = httpx.get(
        f"{base}/Patient/{created.id}",
        headers={"authorization": f"Bearer {patient_token}"},
        timeout=30,
    )
    assert other.status_code == 404
    assert OperationOutcome.model_validate(other.json()).issue[0].code == "not-found"
