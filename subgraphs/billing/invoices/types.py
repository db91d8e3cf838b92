"""GraphQL types of invoices: the ``Invoice`` entity (credit notes too), its lines and inputs."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.scopes import INVOICE_POLICY, READ_BILLING
from subgraphs.billing.invoices import service
from subgraphs.billing.invoices.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from subgraphs.billing.money_type import MoneyType, money
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.fields import field
from subgraphs.common.ids import parse_id
from subgraphs.common.loaders import load_batched

__all__ = [
    "InvoiceLineType",
    "InvoiceType",
    "LineInput",
    "load_balance",
    "load_invoice",
    "load_invoices_of_patient",
    "load_line_of_appointment",
]

Info = strawberry.Info[RequestContext, None]

strawberry.enum(InvoiceStatus, name="InvoiceStatus")
strawberry.enum(InvoiceKind, name="InvoiceKind")


@strawberry.type(name="InvoiceLine", description="One billed item of an invoice.")
class InvoiceLineType:
    id: strawberry.ID
    invoice_id: strawberry.ID
    position: int
    service_code: str
    description: str
    quantity: int
    unit_price: MoneyType
    discount: MoneyType
    tax_rate: Decimal = strawberry.field(description="Percent, e.g. 20.00.")
    tax: MoneyType
    net: MoneyType = strawberry.field(description="quantity x unitPrice - discount.")
    total: MoneyType = strawberry.field(description="net + tax.")
    appointment_id: strawberry.ID | None
    doctor_id: strawberry.ID | None
    performed_at: datetime | None

    @classmethod
    def of(cls, row: InvoiceLine, currency: str) -> InvoiceLineType:
        def _id(value: uuid.UUID | None) -> strawberry.ID | None:
            return strawberry.ID(str(value)) if value else None

        return cls(
            id=strawberry.ID(str(row.id)),
            invoice_id=strawberry.ID(str(row.invoice_id)),
            position=row.position,
            service_code=row.service_code,
            description=row.description,
            quantity=row.quantity,
            unit_price=money(row.unit_price_minor, currency),
            discount=money(row.discount_minor, currency),
            tax_rate=(Decimal(row.tax_rate_bp) / 100).quantize(Decimal("0.01")),
            tax=money(row.tax_minor, currency),
            net=money(row.net_minor, currency),
            total=money(row.total_minor, currency),
            appointment_id=_id(row.appointment_id),
            doctor_id=_id(row.doctor_id),
            performed_at=row.performed_at,
        )


@strawberry.federation.type(
    name="Invoice",
    keys=["id"],
    authenticated=True,
    requires_scopes=READ_BILLING.directive,
    policy=[[INVOICE_POLICY]],
    description="An invoice or credit note. A patient sees their own; staff and admin all.",
)
class InvoiceType:
    id: strawberry.ID
    number: str | None = strawberry.field(description="INV-2026-000123, once issued.")
    kind: InvoiceKind
    status: InvoiceStatus
    currency: str
    patient_id: strawberry.ID
    account_id: strawberry.ID
    credited_invoice_id: strawberry.ID | None
    reason: str | None
    subtotal: MoneyType
    discount: MoneyType
    tax: MoneyType
    total: MoneyType
    amount_paid: MoneyType
    amount_credited: MoneyType
    amount_due: MoneyType
    issued_at: datetime | None
    due_at: datetime | None
    paid_at: datetime | None
    voided_at: datetime | None
    void_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    pdf_url: str = strawberry.field(description="GET with the same bearer token: the PDF.")
    csv_url: str = strawberry.field(description="GET with the same bearer token: the CSV.")

    @classmethod
    def of(cls, row: Invoice) -> InvoiceType:
        c = row.currency
        return cls(
            id=strawberry.ID(str(row.id)),
            number=row.number,
            kind=InvoiceKind(row.kind),
            status=InvoiceStatus(row.status),
            currency=c,
            patient_id=strawberry.ID(str(row.patient_id)),
            account_id=strawberry.ID(str(row.account_id)),
            credited_invoice_id=(
                strawberry.ID(str(row.credited_invoice_id)) if row.credited_invoice_id else None
            ),
            reason=row.reason,
            subtotal=money(row.subtotal_minor, c),
            discount=money(row.discount_minor, c),
            tax=money(row.tax_minor, c),
            total=money(row.total_minor, c),
            amount_paid=money(row.paid_minor, c),
            amount_credited=money(row.credited_minor, c),
            amount_due=money(row.due_minor, c),
            issued_at=row.issued_at,
            due_at=row.due_at,
            paid_at=row.paid_at,
            voided_at=row.voided_at,
            void_reason=row.void_reason,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            pdf_url=f"/invoices/{row.id}.pdf",
            csv_url=f"/invoices/{row.id}.csv",
        )

    @field(description="The lines, in order.")
    async def lines(self, info: Info) -> list[InvoiceLineType]:
        rows = await load_lines(info, parse_id(self.id))
        return [InvoiceLineType.of(row, self.currency) for row in rows]

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> InvoiceType:  # noqa: A002 (federation passes the key field by name)
        return cls.of(await load_invoice(info, parse_id(id)))


@strawberry.input
class LineInput:
    service_code: str
    description: str
    unit_price: Decimal = strawberry.field(description='Major units, e.g. "65.00".')
    quantity: int = 1
    discount: Decimal = Decimal(0)
    tax_rate: Decimal = strawberry.field(
        default=Decimal(0), description="Percent, at most two decimals (20.00)."
    )

    def draft(self) -> service.LineDraft:
        basis_points = self.tax_rate * 100
        if basis_points != basis_points.to_integral_value():
            from subgraphs.common.errors import BadUserInput

            raise BadUserInput("taxRate has at most two decimals.", extensions={"field": "taxRate"})
        return service.LineDraft(
            service_code=self.service_code,
            description=self.description,
            unit_price=self.unit_price,
            quantity=self.quantity,
            discount=self.discount,
            tax_rate_bp=int(basis_points),
        )


# ------------------------------------------------------------------ loaders


async def _invoices(
    session: AsyncSession, caller: Caller, keys: list[uuid.UUID]
) -> Mapping[uuid.UUID, Invoice | BaseException]:
    return await service.load_invoices(session, caller=caller, invoice_ids=keys)


async def load_invoice(info: Info, invoice_id: uuid.UUID) -> Invoice:
    """One invoice the caller may read, batched with the request's other invoice lookups."""
    invoice: Invoice = await load_batched(
        info.context, "billing.invoice", _invoices, invoice_id, scopes=READ_BILLING
    )
    return invoice


async def _lines(
    session: AsyncSession, caller: Caller, keys: list[uuid.UUID]
) -> Mapping[uuid.UUID, Sequence[InvoiceLine] | BaseException]:
    return await service.lines_of(session, caller=caller, invoice_ids=keys)


async def load_lines(info: Info, invoice_id: uuid.UUID) -> Sequence[InvoiceLine]:
    lines: Sequence[InvoiceLine] = await load_batched(
        info.context, "billing.lines", _lines, invoice_id, scopes=READ_BILLING
    )
    return lines


async def _appointment_lines(
    session: AsyncSession, caller: Caller, keys: list[uuid.UUID]
) -> Mapping[uuid.UUID, tuple[InvoiceLine, str] | BaseException | None]:
    return await service.lines_for_appointments(session, caller=caller, appointment_ids=keys)


async def load_line_of_appointment(
    info: Info, appointment_id: uuid.UUID
) -> tuple[InvoiceLine, str] | None:
    """An appointment's invoice line and its currency (None: not billed)."""
    found: tuple[InvoiceLine, str] | None = await load_batched(
        info.context,
        "billing.line_of_appointment",
        _appointment_lines,
        appointment_id,
        scopes=READ_BILLING,
    )
    return found


async def _patient_invoices(
    session: AsyncSession,
    caller: Caller,
    keys: list[tuple[uuid.UUID, tuple[InvoiceStatus, ...]]],
) -> Mapping[tuple[uuid.UUID, tuple[InvoiceStatus, ...]], Sequence[Invoice] | BaseException]:
    answers: dict[
        tuple[uuid.UUID, tuple[InvoiceStatus, ...]], Sequence[Invoice] | BaseException
    ] = {}
    groups: dict[tuple[InvoiceStatus, ...], list[uuid.UUID]] = {}
    for patient_id, statuses in keys:
        groups.setdefault(statuses, []).append(patient_id)
    for statuses, patient_ids in groups.items():
        found = await service.invoices_of(
            session, caller=caller, patient_ids=patient_ids, statuses=statuses or None
        )
        answers.update({(p, statuses): found[p] for p in patient_ids})
    return answers


async def load_invoices_of_patient(
    info: Info, patient_id: uuid.UUID, statuses: Sequence[InvoiceStatus] | None
) -> Sequence[Invoice]:
    """A patient's invoices (batched over the patients of the request)."""
    invoices: Sequence[Invoice] = await load_batched(
        info.context,
        "billing.invoices_of_patient",
        _patient_invoices,
        (patient_id, tuple(statuses or ())),
        scopes=READ_BILLING,
    )
    return invoices


async def _balances(
    session: AsyncSession, caller: Caller, keys: list[uuid.UUID]
) -> Mapping[uuid.UUID, tuple[int, str] | BaseException | None]:
    return await service.balances_of_patients(session, caller=caller, patient_ids=keys)


async def load_balance(info: Info, patient_id: uuid.UUID) -> tuple[int, str] | None:
    """A patient's balance ``(minor units, currency)``; None without an account."""
    found: tuple[int, str] | None = await load_batched(
        info.context, "billing.balance", _balances, patient_id, scopes=READ_BILLING
    )
    return found
