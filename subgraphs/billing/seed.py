"""Demo billing (development only): each demo patient's completed visits on an issued invoice,
some of them paid in full (so the desk's revenue reports show money collected).

Written through billing's own service functions, so the rules and events are the real ones.
Idempotent: a visit already billed (by this seed or by the appointment consumer, which may run
at the same time) is not billed again, and a patient with an issued invoice gets no other.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from subgraphs.billing.accounts.service import AccountDetails, ensure_account
from subgraphs.billing.invoices.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from subgraphs.billing.invoices.service import (
    add_draft_line,
    apply_payment,
    issue_draft,
    open_draft,
)
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.invoices.visits import consultation_line
from subgraphs.common.database import Database
from subgraphs.common.errors import Conflict

__all__ = ["DEMO_INSURER", "DemoPatientBill", "DemoVisitBill", "demo_policy_number", "seed_billing"]

ACTOR = "billing:demo-seed"
DEMO_INSURER = "Demo Health Mutual"


def demo_policy_number(patient_id: uuid.UUID) -> str:
    """The demo patient's policy with :data:`DEMO_INSURER`."""
    return f"DHM-{patient_id.hex[:8].upper()}"


@dataclass(frozen=True, slots=True)
class DemoVisitBill:
    appointment_id: uuid.UUID
    doctor_id: uuid.UUID
    doctor_user_id: uuid.UUID | None
    starts_at: datetime


@dataclass(frozen=True, slots=True)
class DemoPatientBill:
    patient_id: uuid.UUID
    user_id: uuid.UUID | None
    payer_name: str
    visits: Sequence[DemoVisitBill]
    paid_in_full: bool = False  # the invoice is settled when it is issued


async def seed_billing(
    database: Database,
    *,
    production: bool,
    patients: Sequence[DemoPatientBill],
    settings: InvoiceSettings,
    currency: str,
) -> dict[uuid.UUID, uuid.UUID]:
    """Bill each patient's completed visits and issue the invoice (settled at once for those
    ``paid_in_full``); patient id -> the invoice issued now (none for those billed before)."""
    if production:
        raise Conflict("Refusing to seed demo billing in production.")
    issued: dict[uuid.UUID, uuid.UUID] = {}
    for patient in patients:
        async with database.transaction() as session:
            account, _ = await ensure_account(
                session, patient_id=patient.patient_id, patient_user_id=patient.user_id,
                actor=ACTOR, currency=currency,
                details=AccountDetails(payer_name=patient.payer_name, insurer=DEMO_INSURER,
                                       policy_number=demo_policy_number(patient.patient_id)),
            )  # fmt: skip
            has_issued = (
                await session.exec(
                    select(Invoice.id).where(
                        col(Invoice.account_id) == account.id,
                        col(Invoice.kind) == InvoiceKind.INVOICE,
                        col(Invoice.status) != InvoiceStatus.DRAFT,
                    )
                )
            ).first()
            if has_issued is not None or not patient.visits:
                continue
            invoice = await open_draft(session, account=account, actor=ACTOR)
            billed = set(
                (
                    await session.exec(
                        select(InvoiceLine.appointment_id).where(
                            col(InvoiceLine.appointment_id).in_(
                                [v.appointment_id for v in patient.visits]
                            )
                        )
                    )
                ).all()
            )
            for visit in patient.visits:
                if visit.appointment_id in billed:
                    continue
                line = consultation_line(
                    settings, currency, appointment_id=visit.appointment_id,
                    doctor_id=visit.doctor_id, doctor_user_id=visit.doctor_user_id,
                    starts_at=visit.starts_at,
                )  # fmt: skip
                await add_draft_line(session, invoice, line, actor=ACTOR)
            if invoice.total_minor > 0:
                await issue_draft(
                    session, invoice, actor=ACTOR, terms_days=settings.payment_terms_days
                )
                issued[patient.patient_id] = invoice.id
                if patient.paid_in_full:
                    await apply_payment(
                        session, invoice_id=invoice.id, amount_minor=invoice.due_minor,
                        currency=invoice.currency, actor=ACTOR, reference="demo-seed:paid-at-desk",
                    )  # fmt: skip
    return issued
