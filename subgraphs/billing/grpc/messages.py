"""Billing rows as ``billing.v1`` messages, and the API's enums as the domain's."""

from __future__ import annotations

from collections.abc import Iterable

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.invoices.models import Invoice, InvoiceLine, InvoiceStatus
from subgraphs.common.errors import BadUserInput
from subgraphs.common.rpc.billing import pb

__all__ = ["account_message", "invoice_message", "line_message", "money", "statuses_of"]

_PREFIX = "INVOICE_STATUS_"


def money(minor: int, currency: str) -> pb.Money:
    return pb.Money(currency=currency, minor_units=minor)


def account_message(account: BillingAccount, balance_minor: int) -> pb.Account:
    return pb.Account(
        id=str(account.id),
        patient_id=str(account.patient_id),
        currency=account.currency,
        balance=money(balance_minor, account.currency),
        payer_name=account.payer_name or "",
        insurer=account.insurer or "",
        policy_number=account.policy_number or "",
    )


def line_message(line: InvoiceLine, currency: str) -> pb.InvoiceLine:
    return pb.InvoiceLine(
        id=str(line.id),
        service_code=line.service_code,
        description=line.description,
        quantity=line.quantity,
        unit_price=money(line.unit_price_minor, currency),
        amount=money(line.total_minor, currency),
        appointment_id=str(line.appointment_id) if line.appointment_id else "",
    )


def invoice_message(invoice: Invoice, lines: Iterable[InvoiceLine]) -> pb.Invoice:
    currency = invoice.currency
    return pb.Invoice(
        id=str(invoice.id),
        number=invoice.number or "",
        account_id=str(invoice.account_id),
        patient_id=str(invoice.patient_id),
        status=f"{_PREFIX}{invoice.status}",
        currency=currency,
        subtotal=money(invoice.subtotal_minor, currency),
        tax=money(invoice.tax_minor, currency),
        discount=money(invoice.discount_minor, currency),
        total=money(invoice.total_minor, currency),
        amount_paid=money(invoice.paid_minor, currency),
        lines=[line_message(line, currency) for line in lines],
    )


def statuses_of(values: Iterable[int]) -> list[InvoiceStatus]:
    """The domain's statuses for the API's (INVALID_ARGUMENT for UNSPECIFIED or unknown ones)."""
    statuses: list[InvoiceStatus] = []
    for value in values:
        name = pb.InvoiceStatus.Name(value) if value in pb.InvoiceStatus.values() else ""
        try:
            statuses.append(InvoiceStatus(name.removeprefix(_PREFIX)))
        except ValueError:
            raise BadUserInput(
                f"statuses holds an unknown invoice status ({value}).",
                extensions={"field": "statuses"},
            ) from None
    return statuses
