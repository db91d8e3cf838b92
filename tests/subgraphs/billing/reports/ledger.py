"""A small synthetic ledger whose report figures are worked out by hand in the tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from subgraphs.billing.invoices import service as invoices
from subgraphs.common.context import Caller
from subgraphs.common.database import Database
from tests.subgraphs.billing.factories import issued_invoice

__all__ = ["Ledger", "make_ledger"]

DOCTOR_1 = uuid.UUID("00000000-0000-4000-8000-0000000000d1")
DOCTOR_2 = uuid.UUID("00000000-0000-4000-8000-0000000000d2")


def day(month: int, day_: int, year: int = 2026) -> datetime:
    return datetime(year, month, day_, 10, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Ledger:
    doctor_1: uuid.UUID
    doctor_2: uuid.UUID


async def make_ledger(database: Database, staff: Caller) -> Ledger:
    """Invoices (due 30 days after issue):

    - A: GBP 120.00, 10 Jan, Synthetic Mutual, doctor 1, paid in full;
    - B: GBP 80.00 + 20.00, 20 Jan, self-pay, doctor 2, unpaid (due 19 Feb);
    - C: GBP 50.00, 5 Feb, Acme Health, doctor 1, credited 10.00 on 6 Feb (due 7 Mar);
    - D: EUR 30.00, 10 Feb, Synthetic Mutual, no doctor, unpaid (due 12 Mar);
    - E: GBP 70.00, 20 Apr, self-pay, unpaid (due 20 May);
    - F: GBP 15.00, 1 Dec 2025, self-pay, unpaid (due 31 Dec 2025).
    """
    a = await issued_invoice(
        database, staff, prices=("120.00",), doctor_id=DOCTOR_1, issued_at=day(1, 10)
    )
    await database.transact(
        lambda s: invoices.apply_payment(
            s, invoice_id=a.invoice.id, amount_minor=12000, currency="GBP", actor=staff.actor,
            reference="synthetic-payment-a", now=day(1, 15),
        )
    )  # fmt: skip
    await issued_invoice(
        database, staff, prices=("80.00", "20.00"), insurer=None, policy_number=None,
        doctor_id=DOCTOR_2, issued_at=day(1, 20),
    )  # fmt: skip
    c = await issued_invoice(
        database, staff, prices=("50.00",), insurer="Acme Health", doctor_id=DOCTOR_1,
        issued_at=day(2, 5),
    )  # fmt: skip
    await database.transact(
        lambda s: invoices.create_credit_note(
            s, caller=staff, invoice_id=c.invoice.id, reason="Goodwill", amount=Decimal("10.00"),
            now=day(2, 6),
        )
    )  # fmt: skip
    await issued_invoice(database, staff, prices=("30.00",), currency="EUR", issued_at=day(2, 10))
    await issued_invoice(
        database, staff, prices=("70.00",), insurer=None, policy_number=None, issued_at=day(4, 20)
    )
    await issued_invoice(
        database, staff, prices=("15.00",), insurer=None, policy_number=None,
        issued_at=day(12, 1, 2025),
    )  # fmt: skip
    return Ledger(DOCTOR_1, DOCTOR_2)
