"""GraphQL types of prescriptions: the ``Prescription`` entity, verification, document and keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

import strawberry

from subgraphs.clinical.access.scopes import PRESCRIPTION_POLICY, READ_PRESCRIPTIONS
from subgraphs.clinical.connection import Connection
from subgraphs.clinical.loaders import load_pages_of_patients
from subgraphs.clinical.prescriptions import service
from subgraphs.clinical.prescriptions.models import Prescription as PrescriptionRow
from subgraphs.clinical.prescriptions.models import Route
from subgraphs.clinical.prescriptions.service import (
    Verification,
    VerificationStatus,
)
from subgraphs.clinical.records.request_access import load_authorized
from subgraphs.common.context import RequestContext
from subgraphs.common.ids import parse_id

__all__ = [
    "PRESCRIPTION_POLICY",
    "Prescription",
    "PrescriptionDocument",
    "PrescriptionSigner",
    "PrescriptionSigningKey",
    "PrescriptionStatus",
    "PrescriptionVerification",
    "prescriptions_of",
]


strawberry.enum(Route, name="PrescriptionRoute")
strawberry.enum(VerificationStatus, name="PrescriptionVerificationStatus")


@strawberry.enum
class PrescriptionStatus(StrEnum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"


@strawberry.federation.type(
    keys=["id"],
    authenticated=True,
    requires_scopes=READ_PRESCRIPTIONS.directive,
    policy=[[PRESCRIPTION_POLICY]],
    description="A signed prescription; revocable, never edited.",
)
class Prescription:
    id: strawberry.ID
    patient_id: strawberry.ID
    doctor_id: strawberry.ID
    medication: str
    dose: str
    route: Route
    frequency: str
    quantity: int
    refills: int
    instructions: str
    issued_at: datetime
    issued_by: str
    status: PrescriptionStatus
    signed_payload: str = strawberry.field(
        description="The canonical JSON (RFC 8785) that was signed: the verification data."
    )
    jws: str = strawberry.field(
        description="Compact JWS (EdDSA) over signedPayload, payload attached; the QR code's content."
    )
    key_id: str
    revoked_at: datetime | None
    revoked_by: str | None
    revocation_reason: str | None

    @classmethod
    def from_row(cls, row: PrescriptionRow) -> Prescription:
        return cls(
            id=strawberry.ID(str(row.id)),
            patient_id=strawberry.ID(str(row.patient_id)),
            doctor_id=strawberry.ID(str(row.doctor_id)),
            medication=row.medication,
            dose=row.dose,
            route=Route(row.route),
            frequency=row.frequency,
            quantity=row.quantity,
            refills=row.refills,
            instructions=row.instructions,
            issued_at=row.issued_at,
            issued_by=row.issued_by,
            status=PrescriptionStatus.REVOKED if row.revoked_at else PrescriptionStatus.ACTIVE,
            signed_payload=row.payload,
            jws=row.jws,
            key_id=row.key_id,
            revoked_at=row.revoked_at,
            revoked_by=row.revoked_by,
            revocation_reason=row.revocation_reason,
        )

    @classmethod
    async def resolve_reference(
        cls,
        info: strawberry.Info[RequestContext, None],
        id: strawberry.ID,  # noqa: A002 (federation key)
    ) -> Prescription:
        """``_entities`` lookups: batched through the request's DataLoaders, access checked per patient."""
        row = await load_authorized(
            info.context,
            parse_id(id),
            record_type="prescription",
            model=PrescriptionRow,
            scopes=READ_PRESCRIPTIONS,
        )
        return cls.from_row(row)


@strawberry.type(description="Who signed a prescription, as its signed data names them.")
class PrescriptionSigner:
    doctor_id: strawberry.ID
    name: str
    licence: str


@strawberry.type
class PrescriptionVerification:
    status: VerificationStatus
    reason: str
    prescription_id: strawberry.ID | None
    key_id: str | None
    issued_at: datetime | None
    revoked_at: datetime | None
    signer: PrescriptionSigner | None = strawberry.field(
        description="The prescriber who signed it; null unless the signature and data check out."
    )

    @classmethod
    def of(cls, verification: Verification) -> PrescriptionVerification:
        found, signer = verification.prescription_id, verification.signer
        return cls(
            status=verification.status,
            reason=verification.reason,
            prescription_id=strawberry.ID(str(found)) if found else None,
            key_id=verification.key_id,
            issued_at=verification.issued_at,
            revoked_at=verification.revoked_at,
            signer=PrescriptionSigner(
                doctor_id=strawberry.ID(str(signer.doctor_id)),
                name=signer.name,
                licence=signer.licence,
            )
            if signer
            else None,
        )


@strawberry.type(description="The printable prescription.")
class PrescriptionDocument:
    prescription_id: strawberry.ID
    filename: str
    content_type: str
    content_base64: str
    qr_payload: str = strawberry.field(description="What the QR code on the document carries.")


@strawberry.type(description="A public key (JWK, RFC 8037) that signs prescriptions.")
class PrescriptionSigningKey:
    kid: str
    kty: str
    crv: str
    x: str
    alg: str
    use: str

    @classmethod
    def of(cls, jwk: dict[str, Any]) -> PrescriptionSigningKey:
        return cls(**{name: str(jwk[name]) for name in ("kid", "kty", "crv", "x", "alg", "use")})


async def prescriptions_of(
    info: strawberry.Info[RequestContext, None],
    patient_id: uuid.UUID,
    *,
    first: int | None,
    after: str | None,
) -> Connection[Prescription]:
    """``Patient.prescriptions``: the pages of every patient asked alike, in one batch."""
    page = await load_pages_of_patients(
        info.context,
        "prescriptions-of",
        service.prescriptions_of_patients,
        patient_id,
        first=first,
        after=after,
    )
    return Connection.of(page, Prescription.from_row)
