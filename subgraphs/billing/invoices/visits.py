"""Completed appointments become invoice lines: exactly once per appointment.

Clinical publishes ``appointment.completed`` on ``clinical.appointments`` (through its outbox).
:func:`bill_completed_appointment` runs inside the consumer's :class:`IdempotentHandler`
transaction, which records the event id in ``processed_event``: a redelivered event is skipped,
and an appointment already on an invoice (a replayed or re-published event) is not billed twice
(the line's appointment id is unique as well).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.accounts.service import ensure_account
from subgraphs.billing.invoices.models import InvoiceLine
from subgraphs.billing.invoices.service import LineDraft, add_draft_line, open_draft
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.money import from_minor
from subgraphs.common.events.envelope import EventEnvelope

__all__ = ["COMPLETED_EVENT", "bill_completed_appointment", "consultation_line"]

COMPLETED_EVENT = "appointment.completed"
ACTOR = "billing:appointments"


def _uuid(value: object) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


async def bill_completed_appointment(
    session: AsyncSession,
    envelope: EventEnvelope,
    *,
    settings: InvoiceSettings,
    currency: str,
) -> InvoiceLine | None:
    """Add the consultation line of a completed appointment to its patient's open invoice.

    Other appointment events are ignored (None); so is an appointment billed already.
    A malformed payload raises ``ValueError``/``KeyError`` (the consumer dead-letters it).
    """
    if envelope.type != COMPLETED_EVENT:
        return None
    payload = envelope.payload
    appointment_id = uuid.UUID(str(payload["appointmentId"]))
    patient_id = uuid.UUID(str(payload["patientId"]))
    starts_at = datetime.fromisoformat(str(payload["startsAt"]))
    account, _ = await ensure_account(
        session,
        patient_id=patient_id,
        patient_user_id=_uuid(payload.get("patientUserId")),
        actor=ACTOR,
        currency=currency,
    )
    billed = (
        await session.exec(
            select(InvoiceLine.id).where(col(InvoiceLine.appointment_id) == appointment_id)
        )
    ).first()
    if billed is not None:
        return None
    invoice = await open_draft(session, account=account, actor=ACTOR)
    line = consultation_line(
        settings,
        account.currency,
        appointment_id=appointment_id,
        doctor_id=_uuid(payload.get("doctorId")),
        doctor_user_id=_uuid(payload.get("doctorUserId")),
        starts_at=starts_at,
        source_event_id=envelope.id,
    )
    return await add_draft_line(session, invoice, line, actor=ACTOR)


def consultation_line(
    settings: InvoiceSettings,
    currency: str,
    *,
    appointment_id: uuid.UUID,
    doctor_id: uuid.UUID | None,
    doctor_user_id: uuid.UUID | None,
    starts_at: datetime,
    source_event_id: uuid.UUID | None = None,
) -> LineDraft:
    """The line billing a completed appointment: the consultation tariff of ``settings``."""
    return LineDraft(
        service_code=settings.consultation_service_code,
        description=f"Consultation on {starts_at.date().isoformat()}",
        unit_price=from_minor(settings.consultation_price_minor, currency),
        tax_rate_bp=settings.consultation_tax_rate_bp,
        appointment_id=appointment_id,
        doctor_id=doctor_id,
        doctor_user_id=doctor_user_id,
        performed_at=starts_at,
        source_event_id=source_event_id,
    )
