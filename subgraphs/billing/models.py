"""Every table of the billing service, imported so Alembic and SQLModel see the whole schema.

A domain adds its tables here (one import line each).
"""

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.claims.models import Claim, ClaimStatusChange
from subgraphs.billing.invoices.models import Invoice, InvoiceCounter, InvoiceLine
from subgraphs.billing.payments.models import Payment, PaymentWebhook
from subgraphs.common.outbox.models import OutboxEvent, ProcessedEvent

__all__ = [
    "BillingAccount",
    "Claim",
    "ClaimStatusChange",
    "Invoice",
    "InvoiceCounter",
    "InvoiceLine",
    "OutboxEvent",
    "Payment",
    "PaymentWebhook",
    "ProcessedEvent",
]
