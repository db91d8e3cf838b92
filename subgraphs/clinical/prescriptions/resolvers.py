"""Prescription queries and mutations (``PrescriptionQuery``/``PrescriptionMutation``)."""

from __future__ import annotations

import base64

import strawberry

from subgraphs.clinical.access.scopes import READ_PRESCRIPTIONS, WRITE_PRESCRIPTIONS
from subgraphs.clinical.connection import Connection
from subgraphs.clinical.prescriptions import service
from subgraphs.clinical.prescriptions.document import render_prescription_pdf
from subgraphs.clinical.prescriptions.models import Prescription as PrescriptionRow
from subgraphs.clinical.prescriptions.models import Route
from subgraphs.clinical.prescriptions.registry import PrescriptionKeys, keys_of
from subgraphs.clinical.prescriptions.types import (
    PRESCRIPTION_POLICY,
    Prescription,
    PrescriptionDocument,
    PrescriptionSigningKey,
    PrescriptionVerification,
)
from subgraphs.common.audit import serve
from subgraphs.common.context import RequestContext
from subgraphs.common.field_guard import guarded
from subgraphs.common.fields import field
from subgraphs.common.ids import parse_id

__all__ = ["IssuePrescriptionInput", "PrescriptionMutation", "PrescriptionQuery"]

Info = strawberry.Info[RequestContext, None]


@strawberry.input
class IssuePrescriptionInput:
    patient_id: strawberry.ID
    medication: str
    dose: str = strawberry.field(description='The amount per administration, e.g. "500 mg".')
    route: Route
    frequency: str = strawberry.field(description='e.g. "twice daily".')
    quantity: int
    refills: int = 0
    instructions: str = ""


async def _read(info: Info, prescription_id: strawberry.ID, reason: str | None) -> PrescriptionRow:
    """One prescription the caller may read, its read audited with ``reason``."""
    return await serve(
        info.context,
        service.get_prescription,
        prescription_id=parse_id(prescription_id),
        reason=reason,
    )


@strawberry.type
class PrescriptionQuery:
    @guarded(
        READ_PRESCRIPTIONS,
        policy=PRESCRIPTION_POLICY,
        description="One prescription (audited read).",
    )
    async def prescription(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument)
        reason: str | None = None,
    ) -> Prescription | None:
        return Prescription.from_row(await _read(info, id, reason))

    @guarded(
        READ_PRESCRIPTIONS,
        policy=PRESCRIPTION_POLICY,
        description="A patient's prescriptions, newest first (cursor pagination).",
    )
    async def prescriptions(
        self,
        info: Info,
        patient_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        include_revoked: bool = True,
        reason: str | None = None,
    ) -> Connection[Prescription] | None:
        page = await serve(
            info.context,
            service.list_prescriptions,
            patient_id=parse_id(patient_id, what="patientId"),
            first=first,
            after=after,
            include_revoked=include_revoked,
            reason=reason,
        )
        return Connection.of(page, Prescription.from_row)

    @guarded(
        READ_PRESCRIPTIONS,
        policy=PRESCRIPTION_POLICY,
        description="The printable PDF, with a QR code holding the signed prescription.",
    )
    async def prescription_document(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument)
        reason: str | None = None,
    ) -> PrescriptionDocument | None:
        keys = keys_of(info.context)
        row = await _read(info, id, reason)
        pdf = render_prescription_pdf(row, font=keys.pdf_font)
        return PrescriptionDocument(
            prescription_id=strawberry.ID(str(row.id)),
            filename=f"prescription-{row.id}.pdf",
            content_type="application/pdf",
            content_base64=base64.b64encode(pdf).decode("ascii"),
            qr_payload=row.jws,
        )

    @field(
        description="Is this prescription genuine, untampered and in force? Open to anyone "
        "holding its JWS (or its data plus detached JWS)."
    )
    async def verify_prescription(
        self, info: Info, jws: str, payload: str | None = None
    ) -> PrescriptionVerification:
        keys: PrescriptionKeys = keys_of(info.context)
        async with info.context.database.session() as session:
            verification = await service.verify_prescription(
                session, keys=keys, jws=jws, payload=payload
            )
        return PrescriptionVerification.of(verification)

    @field(description="The public keys that sign prescriptions (JWKS keys, oldest first).")
    async def prescription_signing_keys(self, info: Info) -> list[PrescriptionSigningKey]:
        async with info.context.database.session() as session:
            keys = await PrescriptionKeys.jwks(session)
        return [PrescriptionSigningKey.of(jwk) for jwk in keys]


@strawberry.type
class PrescriptionMutation:
    @guarded(
        WRITE_PRESCRIPTIONS,
        policy=PRESCRIPTION_POLICY,
        description="A doctor issues a signed prescription.",
    )
    async def issue_prescription(
        self,
        info: Info,
        input: IssuePrescriptionInput,  # noqa: A002 (GraphQL argument)
    ) -> Prescription:
        context = info.context
        keys = keys_of(context)
        row = await serve(
            context,
            service.issue_prescription,
            keys=keys,
            patient_id=parse_id(input.patient_id, what="patientId"),
            order={
                "medication": input.medication,
                "dose": input.dose,
                "route": input.route,
                "frequency": input.frequency,
                "quantity": input.quantity,
                "refills": input.refills,
                "instructions": input.instructions,
            },
        )
        return Prescription.from_row(row)

    @guarded(
        WRITE_PRESCRIPTIONS,
        policy=PRESCRIPTION_POLICY,
        description="Revoke a prescription (it can never be edited); verification then answers REVOKED.",
    )
    async def revoke_prescription(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument)
        reason: str,
    ) -> Prescription:
        row = await serve(
            info.context,
            service.revoke_prescription,
            prescription_id=parse_id(id),
            reason=reason,
        )
        return Prescription.from_row(row)
