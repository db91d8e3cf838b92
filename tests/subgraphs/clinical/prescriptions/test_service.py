"""Issuing, revoking and verifying signed prescriptions on a real database."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from subgraphs.clinical.people.models import Doctor, Patient, StaffRole
from subgraphs.clinical.prescriptions import service
from subgraphs.clinical.prescriptions.jws import detach, sign_jws
from subgraphs.clinical.prescriptions.keys import SigningKey, load_or_create_signing_key
from subgraphs.clinical.prescriptions.models import Prescription
from subgraphs.clinical.prescriptions.registry import PrescriptionKeys
from subgraphs.clinical.prescriptions.service import VerificationStatus
from subgraphs.common.context import Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Conflict, Forbidden
from subgraphs.common.outbox import OutboxEvent
from tests.subgraphs.clinical.conftest import make_caller
from tests.subgraphs.clinical.factories import (
    caller_of,
    in_care,
    new_doctor,
    new_patient,
    new_staff,
)

ORDER: dict[str, Any] = {
    "medication": "Amoxicillin 500 mg capsules",
    "dose": "500 mg",
    "route": "ORAL",
    "frequency": "three times daily",
    "quantity": 21,
    "refills": 0,
    "instructions": "Take with water; finish the course.",
}


@pytest.fixture
async def keys(database: Database, tmp_path: Path) -> PrescriptionKeys:
    registry = PrescriptionKeys(load_or_create_signing_key(tmp_path / "rx.pem"))
    async with database.transaction() as session:
        await registry.register(session)
    return registry


async def _issue(
    database: Database, keys: PrescriptionKeys, doctor: Doctor, patient: Patient, **changes: Any
) -> Prescription:
    async with database.transaction() as session:
        return await service.issue_prescription(
            session,
            caller=caller_of(doctor),
            keys=keys,
            patient_id=patient.id,
            order={**ORDER, **changes},
        )


async def _verify(
    database: Database, keys: PrescriptionKeys, jws: str, payload: str | None = None
) -> service.Verification:
    async with database.session() as session:
        return await service.verify_prescription(session, keys=keys, jws=jws, payload=payload)


async def _pair(database: Database) -> tuple[Patient, Doctor]:
    patient = await new_patient(database, linked=True, given_name="Zoë", family_name="Example")
    doctor = await new_doctor(database, given_name="Ada", family_name="Sample")
    await in_care(database, patient, doctor)
    return patient, doctor


async def test_issued_prescription_is_signed_and_verifies(
    database: Database, keys: PrescriptionKeys
) -> None:
    patient, doctor = await _pair(database)
    issued = await _issue(database, keys, doctor, patient)
    document = json.loads(issued.payload)
    assert document["patient"]["name"] == "Zoë Example"
    assert document["prescriber"]["id"] == str(doctor.id)
    assert document["quantity"] == 21
    assert issued.key_id == keys.signing.kid

    result = await _verify(database, keys, issued.jws)
    assert result.status is VerificationStatus.VALID
    assert result.prescription_id == issued.id
    assert result.signer == service.Signer(doctor.id, "Ada Sample", doctor.licence_number)

    # The detached form with the data in another key order and spacing is the same prescription.
    reordered = json.dumps(dict(reversed(list(document.items()))), indent=2)
    detached = await _verify(database, keys, detach(issued.jws), reordered)
    assert detached.status is VerificationStatus.VALID

    async with database.session() as session:
        events = (
            await session.exec(
                select(OutboxEvent).where(OutboxEvent.topic == "clinical.prescriptions")
            )
        ).all()
    assert [(event.type, event.actor) for event in events] == [
        ("prescription.issued", caller_of(doctor).actor)
    ]


async def test_tampered_copies_are_detected(database: Database, keys: PrescriptionKeys) -> None:
    patient, doctor = await _pair(database)
    issued = await _issue(database, keys, doctor, patient)
    document = json.loads(issued.payload)

    # A copy whose quantity was raised, with the original signature.
    header, _, signature = issued.jws.split(".")
    altered = json.dumps({**document, "quantity": 210}, separators=(",", ":")).encode()
    body = base64.urlsafe_b64encode(altered).decode().rstrip("=")
    tampered = await _verify(database, keys, f"{header}.{body}.{signature}")
    assert tampered.status is VerificationStatus.TAMPERED
    assert "altered" in tampered.reason
    assert tampered.signer is None  # what an altered copy claims is no signer's word

    detached = await _verify(
        database, keys, detach(issued.jws), json.dumps({**document, "refills": 5})
    )
    assert detached.status is VerificationStatus.TAMPERED

    # Re-signed by someone else's key: not one of ours.
    forger = SigningKey.of(Ed25519PrivateKey.generate())
    forged = sign_jws(altered, forger, typ=service.JWS_TYPE)
    assert (await _verify(database, keys, forged)).status is VerificationStatus.TAMPERED

    with pytest.raises(BadUserInput, match="not a prescription signature"):
        await _verify(database, keys, "hello")
    with pytest.raises(BadUserInput, match="not valid JSON"):
        await _verify(database, keys, detach(issued.jws), "{")


async def test_revocation_not_edition(database: Database, keys: PrescriptionKeys) -> None:
    patient, doctor = await _pair(database)
    issued = await _issue(database, keys, doctor, patient)
    other_doctor = await new_doctor(database)
    await in_care(database, patient, other_doctor)

    for caller in (caller_of(patient), caller_of(other_doctor)):
        with pytest.raises(Forbidden):
            async with database.transaction() as session:
                await service.revoke_prescription(
                    session, caller=caller, prescription_id=issued.id, reason="x"
                )
    async with database.transaction() as session:
        revoked = await service.revoke_prescription(
            session, caller=caller_of(doctor), prescription_id=issued.id, reason="wrong strength"
        )
    assert revoked.revocation_reason == "wrong strength"
    with pytest.raises(Conflict, match="already revoked"):
        async with database.transaction() as session:
            await service.revoke_prescription(
                session, caller=make_caller(Role.ADMIN), prescription_id=issued.id, reason="again"
            )

    result = await _verify(database, keys, issued.jws)
    assert result.status is VerificationStatus.REVOKED
    assert result.revoked_at == revoked.revoked_at
    assert result.signer is not None
    assert result.signer.doctor_id == doctor.id

    for statement in (
        "UPDATE prescription SET quantity = 99",
        "UPDATE prescription SET revocation_reason = 'rewritten'",
        "DELETE FROM prescription",
        "DELETE FROM prescription_signing_key",
    ):
        with pytest.raises(DBAPIError, match=r"cannot change|append-only"):
            async with database.transaction() as session:
                await (await session.connection()).execute(text(statement))


async def test_database_refuses_edits_of_active_prescriptions(
    database: Database, keys: PrescriptionKeys
) -> None:
    patient, doctor = await _pair(database)
    await _issue(database, keys, doctor, patient)
    with pytest.raises(DBAPIError, match="cannot be edited, only revoked"):
        async with database.transaction() as session:
            await (await session.connection()).execute(text("UPDATE prescription SET refills = 12"))


async def test_rules_and_bad_input(database: Database, keys: PrescriptionKeys) -> None:
    patient, doctor = await _pair(database)
    stranger = await new_doctor(database)
    nurse = await new_staff(database, StaffRole.NURSE)
    with pytest.raises(Forbidden):
        await _issue(database, keys, stranger, patient)
    with pytest.raises(Forbidden):
        await _issue(database, keys, nurse, patient)
    with pytest.raises(BadUserInput) as caught:
        await _issue(database, keys, doctor, patient, quantity=0, refills=99, route="BY_MAGIC")
    fields = set(caught.value.extensions["fields"])
    assert fields == {"quantity", "refills", "route"}


async def test_rotated_keys_still_verify(
    database: Database, keys: PrescriptionKeys, tmp_path: Path
) -> None:
    patient, doctor = await _pair(database)
    old = await _issue(database, keys, doctor, patient)
    rotated = PrescriptionKeys(load_or_create_signing_key(tmp_path / "next.pem"))
    async with database.transaction() as session:
        await rotated.register(session)
    new = await _issue(database, rotated, doctor, patient)
    assert new.key_id != old.key_id
    # A fresh process with only the newest key file verifies both.
    fresh = PrescriptionKeys(rotated.signing)
    assert (await _verify(database, fresh, old.jws)).status is VerificationStatus.VALID
    assert (await _verify(database, fresh, new.jws)).status is VerificationStatus.VALID
    async with database.session() as session:
        published = await PrescriptionKeys.jwks(session)
    assert {jwk["kid"] for jwk in published} == {old.key_id, new.key_id}
