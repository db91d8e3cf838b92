"""Invoice queries and mutations (``InvoiceQuery``/``InvoiceMutation``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from subgraphs.billing.access.scopes import INVOICE_POLICY, READ_BILLING, WRITE_BILLING
from subgraphs.billing.accounts.settings import AccountSettings
from subgraphs.billing.invoices import service
from subgraphs.billing.invoices.models import InvoiceStatus
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.invoices.types import InvoiceLineType, InvoiceType, LineInput, load_invoice
from subgraphs.billing.runtime import settings_of
from subgraphs.common.audit import serve
from subgraphs.common.context import RequestContext
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["InvoiceMutation", "InvoiceQuery"]

Info = strawberry.Info[RequestContext, None]


@strawberry.type
class InvoiceQuery:
    @guarded(READ_BILLING, policy=INVOICE_POLICY, description="One invoice or credit note.")
    async def invoice(self, info: Info, id: strawberry.ID) -> InvoiceType | None:  # noqa: A002 (GraphQL argument)
        return InvoiceType.of(await load_invoice(info, parse_id(id)))

    @guarded(
        READ_BILLING,
        policy=INVOICE_POLICY,
        description="Invoices newest first: staff and admin any patient's, a patient their own.",
    )
    async def invoices(
        self,
        info: Info,
        patient_id: strawberry.ID | None = None,
        status: list[InvoiceStatus] | None = None,
        first: int = 50,
        before: datetime | None = None,
    ) -> list[InvoiceType]:
        rows = await serve(
            info.context,
            service.list_invoices,
            patient_id=parse_id(patient_id, what="patientId") if patient_id else None,
            statuses=status,
            limit=first,
            before=before,
        )
        return [InvoiceType.of(row) for row in rows]


@strawberry.type
class InvoiceMutation:
    @guarded(WRITE_BILLING, description="A new draft invoice for a patient.")
    async def create_invoice(
        self, info: Info, patient_id: strawberry.ID, currency: str | None = None
    ) -> InvoiceType:
        row = await serve(
            info.context,
            service.create_invoice,
            patient_id=parse_id(patient_id, what="patientId"),
            currency=currency,
            default_currency=settings_of(info.context, AccountSettings).currency,
        )
        return InvoiceType.of(row)

    @guarded(WRITE_BILLING, description="Add a line to a draft invoice.")
    async def add_invoice_line(
        self, info: Info, invoice_id: strawberry.ID, line: LineInput
    ) -> InvoiceLineType:
        invoice_uuid = parse_id(invoice_id, what="invoiceId")
        row = await serve(
            info.context, service.add_line, invoice_id=invoice_uuid, line=line.draft()
        )
        invoice = await serve(info.context, service.get_invoice, invoice_id=invoice_uuid)
        return InvoiceLineType.of(row, invoice.currency)

    @guarded(WRITE_BILLING, description="Take a line off a draft invoice.")
    async def remove_invoice_line(self, info: Info, line_id: strawberry.ID) -> InvoiceType:
        row = await serve(
            info.context, service.remove_line, line_id=parse_id(line_id, what="lineId")
        )
        return InvoiceType.of(row)

    @guarded(
        WRITE_BILLING,
        description="Issue a draft: it gets the year's next number and can no longer change.",
    )
    async def issue_invoice(self, info: Info, id: strawberry.ID) -> InvoiceType:  # noqa: A002 (GraphQL argument)
        invoice_id = parse_id(id)
        terms = settings_of(info.context, InvoiceSettings).payment_terms_days
        row = await info.context.database.transact(
            lambda session: service.issue_invoice(
                session, caller=info.context.caller, invoice_id=invoice_id, terms_days=terms
            )
        )
        return InvoiceType.of(row)

    @guarded(WRITE_BILLING, description="Void a draft, or an issued invoice nothing was paid on.")
    async def void_invoice(self, info: Info, id: strawberry.ID, reason: str) -> InvoiceType:  # noqa: A002 (GraphQL argument)
        row = await serve(
            info.context, service.void_invoice, invoice_id=parse_id(id), reason=reason
        )
        return InvoiceType.of(row)

    @guarded(
        WRITE_BILLING,
        description="Credit an issued invoice (all that is left, or ``amount``): a credit note.",
    )
    async def create_credit_note(
        self, info: Info, invoice_id: strawberry.ID, reason: str, amount: Decimal | None = None
    ) -> InvoiceType:
        row = await serve(
            info.context,
            service.create_credit_note,
            invoice_id=parse_id(invoice_id, what="invoiceId"),
            reason=reason,
            amount=amount,
        )
        return InvoiceType.of(row)
