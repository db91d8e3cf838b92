"""Prescription rules: doctors issue signed prescriptions, revoke them, and anyone can verify one."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.policy import AccessPurpose, authorize_patient_access
from subgraphs.clinical.loaders import single
from subgraphs.clinical.pagination import Keyset, Page
from subgraphs.clinical.prescriptions.events import (
    PRESCRIPTION_ISSUED,
    PRESCRIPTION_REVOKED,
    emit_prescription_event,
)
from subgraphs.clinical.prescriptions.jws import (
    MalformedJws,
    parse_jws,
    sign_jws,
    signature_matches,
)
from subgraphs.clinical.prescriptions.models import Prescription, Route
from subgraphs.clinical.prescriptions.registry import PrescriptionKeys
from subgraphs.clinical.records.access import party_names, require_doctor
from subgraphs.clinical.records.reads import read_patient_pages, read_patient_row
from subgraphs.clinical.validation import stated_reason, validated
from subgraphs.common.canonical import canonical_json
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import BadUserInput, Conflict, DomainError, Forbidden, NotFound

__all__ = [
    "JWS_TYPE",
    "PAYLOAD_TYPE",
    "PrescriptionOrder",
    "Signer",
    "Verification",
    "VerificationStatus",
    "get_prescription",
    "issue_prescription",
    "list_prescriptions",
    "prescriptions_of_patients",
    "revoke_prescription",
    "verify_prescription",
]

PAYLOAD_TYPE = "healthgraph.prescription"
JWS_TYPE = "healthgraph-prescription+jws"
ISSUER = "healthgraph-clinical"
MAX_JWS = 16_384


class PrescriptionOrder(BaseModel):
    """What the doctor prescribes; validated before anything is written or signed."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    medication: str = Field(min_length=1, max_length=200)
    dose: str = Field(min_length=1, max_length=100)
    route: Route
    frequency: str = Field(min_length=1, max_length=100)
    quantity: int = Field(ge=1, le=1000)
    refills: int = Field(ge=0, le=12)
    instructions: str = Field(default="", max_length=2000)


def _signed_document(
    prescription_id: uuid.UUID,
    issued_at: datetime,
    order: PrescriptionOrder,
    *,
    patient: dict[str, Any],
    prescriber: dict[str, Any],
) -> dict[str, Any]:
    return {
        "typ": PAYLOAD_TYPE,
        "v": 1,
        "id": str(prescription_id),
        "issuer": ISSUER,
        "issuedAt": issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "patient": patient,
        "prescriber": prescriber,
        "medication": order.medication,
        "dose": order.dose,
        "route": order.route.value,
        "frequency": order.frequency,
        "quantity": order.quantity,
        "refills": order.refills,
        "instructions": order.instructions,
    }


async def issue_prescription(
    session: AsyncSession,
    *,
    caller: Caller,
    keys: PrescriptionKeys,
    patient_id: uuid.UUID,
    order: dict[str, Any],
) -> Prescription:
    """A doctor issues and signs a prescription (JWS over its canonical JSON) for a patient."""
    caller.require_role(Role.DOCTOR)
    valid = validated(PrescriptionOrder, order, what="prescription")
    doctor_id = await require_doctor(session, caller)
    await authorize_patient_access(session, caller, patient_id, purpose=AccessPurpose.PRESCRIBE)
    names = await party_names(session, patient_id=patient_id, doctor_id=doctor_id)
    prescription_id = uuid.uuid4()
    issued_at = datetime.now(UTC).replace(microsecond=0)
    document = _signed_document(
        prescription_id,
        issued_at,
        valid,
        patient={
            "id": str(patient_id),
            "name": names.patient_name,
            "mrn": names.patient_mrn,
            "birthDate": names.patient_birth_date,
        },
        prescriber={
            "id": str(doctor_id),
            "name": names.doctor_name,
            "licence": names.doctor_licence,
        },
    )
    payload = canonical_json(document)
    prescription = Prescription(
        id=prescription_id,
        patient_id=patient_id,
        doctor_id=doctor_id,
        medication=valid.medication,
        dose=valid.dose,
        route=valid.route.value,
        frequency=valid.frequency,
        quantity=valid.quantity,
        refills=valid.refills,
        instructions=valid.instructions,
        issued_at=issued_at,
        issued_by=caller.actor,
        payload=payload.decode("utf-8"),
        jws=sign_jws(payload, keys.signing, typ=JWS_TYPE),
        key_id=keys.signing.kid,
    )
    session.add(prescription)
    await session.flush()
    await emit_prescription_event(
        session, prescription=prescription, type=PRESCRIPTION_ISSUED, actor=caller.actor
    )
    return prescription


async def revoke_prescription(
    session: AsyncSession, *, caller: Caller, prescription_id: uuid.UUID, reason: str
) -> Prescription:
    """Revoke (never edit) a prescription: its prescriber or an ADMIN, with a stated reason."""
    role = caller.require_role(Role.DOCTOR, Role.ADMIN)
    stated = stated_reason(reason, required=True)
    prescription = (
        await session.exec(
            select(Prescription).where(Prescription.id == prescription_id).with_for_update()
        )
    ).first()
    if prescription is None:
        raise NotFound("No such prescription.", extensions={"field": "id"})
    if role is Role.DOCTOR:
        if await require_doctor(session, caller) != prescription.doctor_id:
            raise Forbidden("Only the prescribing doctor or an administrator may revoke it.")
        await authorize_patient_access(
            session,
            caller,
            prescription.patient_id,
            purpose=AccessPurpose.PRESCRIBE,
            reason=stated,
        )
    if prescription.revoked_at is not None:
        raise Conflict("The prescription is already revoked.")
    prescription.revoked_at = datetime.now(UTC)
    prescription.revoked_by = caller.actor
    prescription.revocation_reason = stated
    session.add(prescription)
    await session.flush()
    await emit_prescription_event(
        session, prescription=prescription, type=PRESCRIPTION_REVOKED, actor=caller.actor
    )
    return prescription


async def get_prescription(
    session: AsyncSession,
    *,
    caller: Caller,
    prescription_id: uuid.UUID,
    reason: str | None = None,
) -> Prescription:
    """One prescription the caller may read (the read is audited)."""
    return await read_patient_row(
        session,
        caller=caller,
        model=Prescription,
        row_id=prescription_id,
        record_type="prescription",
        reason=reason,
    )


_NEWEST_FIRST: Keyset[Prescription] = Keyset(
    columns=(Prescription.issued_at, Prescription.id),
    parsers=(datetime.fromisoformat, uuid.UUID),
    key=lambda row: (row.issued_at.isoformat(), row.id),
    descending=True,
)


async def prescriptions_of_patients(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_ids: Sequence[uuid.UUID],
    first: int | None = None,
    after: str | None = None,
    include_revoked: bool = True,
    reason: str | None = None,
) -> dict[uuid.UUID, Page[Prescription] | DomainError]:
    """Each patient's prescriptions, newest first (one page each, batched), or the error refusing that patient."""
    query = select(Prescription)
    if not include_revoked:
        query = query.where(col(Prescription.revoked_at).is_(None))
    return await read_patient_pages(
        session,
        caller=caller,
        patient_ids=patient_ids,
        query=query,
        patient_column=Prescription.patient_id,  # type: ignore[arg-type]  # a column of the table
        keyset=_NEWEST_FIRST,
        record_type="prescription",
        first=first,
        after=after,
        reason=reason,
    )


async def list_prescriptions(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_id: uuid.UUID,
    first: int | None = None,
    after: str | None = None,
    include_revoked: bool = True,
    reason: str | None = None,
) -> Page[Prescription]:
    """A patient's prescriptions, newest first."""
    pages = await prescriptions_of_patients(
        session,
        caller=caller,
        patient_ids=[patient_id],
        first=first,
        after=after,
        include_revoked=include_revoked,
        reason=reason,
    )
    return single(pages, patient_id)


class VerificationStatus(StrEnum):
    VALID = "VALID"
    TAMPERED = "TAMPERED"
    REVOKED = "REVOKED"


@dataclass(frozen=True, slots=True)
class Signer:
    """The prescriber as the signed prescription names them."""

    doctor_id: uuid.UUID
    name: str
    licence: str


@dataclass(frozen=True, slots=True)
class Verification:
    """The answer to "is this prescription genuine and still valid?"."""

    status: VerificationStatus
    reason: str
    prescription_id: uuid.UUID | None = None
    key_id: str | None = None
    issued_at: datetime | None = None
    revoked_at: datetime | None = None
    signer: Signer | None = None  # only once the signature and content check out


def _signer(document: dict[str, Any]) -> Signer:
    prescriber = document["prescriber"]
    return Signer(
        uuid.UUID(str(prescriber["id"])), str(prescriber["name"]), str(prescriber["licence"])
    )


def _detached_payload(document: str) -> bytes:
    try:
        return canonical_json(json.loads(document))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError; too deep
        raise BadUserInput(
            f"The prescription data is not valid JSON: {exc}", extensions={"field": "payload"}
        ) from exc


async def verify_prescription(
    session: AsyncSession, *, keys: PrescriptionKeys, jws: str, payload: str | None = None
) -> Verification:
    """Check a prescription's signature, integrity and revocation; needs no account.

    ``jws`` is the compact JWS as issued (what the QR code carries), or its detached form
    (``header..signature``) together with ``payload``, the prescription JSON in any key order
    or spacing: it is canonicalised before checking.
    """
    if len(jws) > MAX_JWS or (payload is not None and len(payload) > MAX_JWS):
        raise BadUserInput("The signature or data is too long to be a prescription.")
    detached = _detached_payload(payload) if payload is not None else None
    try:
        parsed = parse_jws(jws, detached_payload=detached)
    except MalformedJws as exc:
        raise BadUserInput(
            f"This is not a prescription signature: {exc}", extensions={"field": "jws"}
        ) from exc
    await keys.load(session, [parsed.kid])
    if keys.public_key(parsed.kid) is None:
        return Verification(
            VerificationStatus.TAMPERED,
            "Signed with a key this service never used.",
            key_id=parsed.kid,
        )
    if not signature_matches(parsed, keys.public_key):
        return Verification(
            VerificationStatus.TAMPERED,
            "The signature does not match the data: it was altered after signing.",
            key_id=parsed.kid,
        )
    document = json.loads(parsed.payload)
    prescription_id = uuid.UUID(str(document["id"]))
    stored = await session.get(Prescription, prescription_id)
    if stored is None or stored.payload.encode("utf-8") != parsed.payload:
        return Verification(
            VerificationStatus.TAMPERED,
            "No prescription with this content was issued here.",
            prescription_id=prescription_id,
            key_id=parsed.kid,
        )
    if stored.revoked_at is not None:
        return Verification(
            VerificationStatus.REVOKED,
            "The prescription is genuine but was revoked.",
            prescription_id=stored.id,
            key_id=parsed.kid,
            issued_at=stored.issued_at,
            revoked_at=stored.revoked_at,
            signer=_signer(document),
        )
    return Verification(
        VerificationStatus.VALID,
        "The prescription is genuine and in force.",
        prescription_id=stored.id,
        key_id=parsed.kid,
        issued_at=stored.issued_at,
        signer=_signer(document),
    )
