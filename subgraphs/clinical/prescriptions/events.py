"""Prescription events on topic ``clinical.prescriptions``: ``prescription.issued`` and ``.revoked``."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.prescriptions.models import Prescription
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import CLINICAL_PRESCRIPTIONS
from subgraphs.common.outbox import record_event

__all__ = [
    "PRESCRIPTIONS_TOPIC",
    "PRESCRIPTION_ISSUED",
    "PRESCRIPTION_REVOKED",
    "emit_prescription_event",
]

PRESCRIPTIONS_TOPIC = CLINICAL_PRESCRIPTIONS.name
PRESCRIPTION_ISSUED = "prescription.issued"
PRESCRIPTION_REVOKED = "prescription.revoked"


async def emit_prescription_event(
    session: AsyncSession,
    *,
    prescription: Prescription,
    type: str,  # noqa: A002 (the event's type)
    actor: str,
) -> EventEnvelope:
    """Write a prescription event into the outbox in ``session``'s transaction (ids, no content)."""
    return await record_event(
        session,
        topic=PRESCRIPTIONS_TOPIC,
        type=type,
        aggregate_type="Prescription",
        aggregate_id=str(prescription.id),
        actor=actor,
        payload={
            "prescriptionId": str(prescription.id),
            "patientId": str(prescription.patient_id),
            "doctorId": str(prescription.doctor_id),
            "keyId": prescription.key_id,
            "revocationReason": prescription.revocation_reason,
        },
    )
