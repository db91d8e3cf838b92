"""Invoice tables (migration billing_1001): invoices and credit notes, their lines, number counters.

The database guards what the service promises: lines change only while their invoice is a
DRAFT, and an issued invoice's amounts, currency and number never change (triggers).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

__all__ = [
    "OPEN_STATUSES",
    "Invoice",
    "InvoiceCounter",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceStatus",
]


class InvoiceStatus(StrEnum):
    DRAFT = "DRAFT"
    ISSUED = "ISSUED"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    PAID = "PAID"
    VOID = "VOID"


# Issued and not settled: these count towards an account's balance.
OPEN_STATUSES: frozenset[InvoiceStatus] = frozenset(
    {InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID}
)


class InvoiceKind(StrEnum):
    INVOICE = "INVOICE"
    CREDIT_NOTE = "CREDIT_NOTE"  # corrects an issued invoice; its total is credited to it


class Invoice(SQLModel, table=True):
    """An invoice (or credit note) of one account, in one currency; amounts in minor units."""

    __tablename__ = "invoice"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID = Field(foreign_key="billing_account.id", nullable=False, index=True)
    patient_id: uuid.UUID = Field(nullable=False, index=True)
    kind: str = Field(default=InvoiceKind.INVOICE, max_length=20, nullable=False)
    status: str = Field(default=InvoiceStatus.DRAFT, max_length=20, nullable=False)
    # Assigned when issued: INV-2026-000123 / CN-2026-000007, gap-free per series and year.
    number: str | None = Field(default=None, max_length=40, unique=True)
    currency: str = Field(max_length=3, nullable=False)
    credited_invoice_id: uuid.UUID | None = Field(default=None, foreign_key="invoice.id")
    reason: str | None = Field(default=None, max_length=500)  # a credit note's reason
    subtotal_minor: int = Field(default=0, nullable=False)  # quantity x unit price
    discount_minor: int = Field(default=0, nullable=False)
    tax_minor: int = Field(default=0, nullable=False)
    total_minor: int = Field(default=0, nullable=False)
    paid_minor: int = Field(default=0, nullable=False)  # net of refunds
    credited_minor: int = Field(default=0, nullable=False)  # by issued credit notes
    issued_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    due_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    paid_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    voided_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    void_reason: str | None = Field(default=None, max_length=500)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    created_by: str = Field(max_length=200, nullable=False)
    updated_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    updated_by: str = Field(max_length=200, nullable=False)

    @property
    def due_minor(self) -> int:
        """What is still owed (0 for drafts, void invoices and credit notes)."""
        if self.kind != InvoiceKind.INVOICE or self.status not in OPEN_STATUSES:
            return 0
        return self.total_minor - self.paid_minor - self.credited_minor


class InvoiceLine(SQLModel, table=True):
    """One billed item: ``net = quantity x unit price - discount``, ``total = net + tax``.

    A line made for a completed appointment names it (``appointment_id``, unique: an
    appointment is billed once) and its doctor, whose own lines a doctor may read.
    """

    __tablename__ = "invoice_line"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    invoice_id: uuid.UUID = Field(foreign_key="invoice.id", nullable=False, index=True)
    position: int = Field(nullable=False)
    service_code: str = Field(max_length=40, nullable=False)
    description: str = Field(max_length=500, nullable=False)
    quantity: int = Field(nullable=False)
    unit_price_minor: int = Field(nullable=False)
    discount_minor: int = Field(default=0, nullable=False)
    tax_rate_bp: int = Field(default=0, nullable=False)  # basis points: 2000 = 20 %
    net_minor: int = Field(nullable=False)
    tax_minor: int = Field(nullable=False)
    total_minor: int = Field(nullable=False)
    appointment_id: uuid.UUID | None = Field(default=None, unique=True)
    doctor_id: uuid.UUID | None = Field(default=None)
    doctor_user_id: uuid.UUID | None = Field(default=None, index=True)
    performed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    source_event_id: uuid.UUID | None = Field(default=None)
    created_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    created_by: str = Field(max_length=200, nullable=False)


class InvoiceCounter(SQLModel, table=True):
    """The last number given in a series (``INV``, ``CN``) and year; locked while issuing."""

    __tablename__ = "invoice_counter"

    series: str = Field(primary_key=True, max_length=10)
    year: int = Field(primary_key=True)
    last: int = Field(nullable=False)
