"""Synthetic billing data for tests: an insured patient's account and issued invoices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from subgraphs.billing.accounts.service import AccountDetails, ensure_account
from subgraphs.billing.invoices import service as invoices
from subgraphs.billing.invoices.models import Invoice
from subgraphs.common.context import Caller
from subgraphs.common.database import Database

__all__ = ["Billed", "issued_invoice"]


@dataclass(frozen=True, slots=True)
class Billed:
    invoice: Invoice
    patient_id: uuid.UUID


async def issued_invoice(
    database: Database,
    staff: Caller,
    *,
    prices: tuple[str, ...] = ("120.00",),
    currency: str = "GBP",
    insurer: str | None = "Synthetic Mutual",
    policy_number: str | None = "POL-0001",
    patient_user_id: uuid.UUID | None = None,
    doctor_id: uuid.UUID | None = None,
    issued_at: datetime | None = None,
) -> Billed:
    """A new patient's account (insured unless ``insurer`` is None) and one issued invoice."""
    patient_id = uuid.uuid4()
    async with database.transaction() as session:
        await ensure_account(
            session,
            patient_id=patient_id,
            actor=staff.actor,
            currency=currency,
            patient_user_id=patient_user_id,
            details=AccountDetails(insurer=insurer, policy_number=policy_number),
        )
        draft = await invoices.create_invoice(
            session, caller=staff, patient_id=patient_id, default_currency=currency
        )
        for index, price in enumerate(prices):
            line = invoices.LineDraft(
                service_code=f"SVC{index}", description="Synthetic visit", unit_price=Decimal(price)
            )
            added = await invoices.add_line(session, caller=staff, invoice_id=draft.id, line=line)
            if doctor_id is not None:
                added.doctor_id = doctor_id
                session.add(added)
        invoice_id = draft.id
    issued = await database.transact(
        lambda session: invoices.issue_invoice(
            session, caller=staff, invoice_id=invoice_id, now=issued_at
        )
    )
    return Billed(issued, patient_id)
