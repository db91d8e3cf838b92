"""Where revenue comes from, in one place: every report that sums revenue selects from here.

Today a booked invoice is revenue when it is issued (its total; a credit note's total counts
against it) and what was collected on it is its ``paid_minor``. When payments record dated
receipts, ``collected`` can come from them here without any report changing.
"""

from __future__ import annotations

from sqlalchemy import Subquery, and_, case, func, literal, select
from sqlmodel import col

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.invoices.models import Invoice, InvoiceKind, InvoiceStatus

__all__ = ["SELF_PAY", "revenue_source"]

SELF_PAY = "Self-pay"
_BOOKED = (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID)


def revenue_source() -> Subquery:
    """One row per booked invoice or credit note.

    Columns: ``invoice_id`` (the invoice a credit note corrects, for credit notes), ``document_id``,
    ``booked_at``, ``currency``, ``payer`` (the account's insurer, or Self-pay), ``billed_minor``
    (negative for credit notes), ``collected_minor``.
    """
    credit = col(Invoice.kind) == InvoiceKind.CREDIT_NOTE
    return (
        select(
            case((credit, col(Invoice.credited_invoice_id)), else_=col(Invoice.id)).label(
                "invoice_id"
            ),
            col(Invoice.id).label("document_id"),
            col(Invoice.issued_at).label("booked_at"),
            col(Invoice.currency).label("currency"),
            func.coalesce(func.nullif(func.trim(col(BillingAccount.insurer)), ""), SELF_PAY).label(
                "payer"
            ),
            case((credit, -col(Invoice.total_minor)), else_=col(Invoice.total_minor)).label(
                "billed_minor"
            ),
            case((credit, literal(0)), else_=col(Invoice.paid_minor)).label("collected_minor"),
        )
        .join(BillingAccount, col(BillingAccount.id) == col(Invoice.account_id))
        .where(and_(col(Invoice.status).in_(_BOOKED), col(Invoice.issued_at).is_not(None)))
        .subquery("revenue")
    )
