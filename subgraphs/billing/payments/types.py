"""GraphQL types of payments: the ``Payment`` entity and what starting a payment answers."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.scopes import INVOICE_POLICY, READ_BILLING
from subgraphs.billing.invoices.types import InvoiceType, load_invoice
from subgraphs.billing.money_type import MoneyType, money
from subgraphs.billing.payments import service
from subgraphs.billing.payments.models import Payment, PaymentProvider, PaymentStatus
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.fields import field
from subgraphs.common.ids import parse_id
from subgraphs.common.loaders import load_batched

__all__ = ["PayPalPaymentType", "PaymentType", "StripePaymentType", "load_payment"]

Info = strawberry.Info[RequestContext, None]

strawberry.enum(PaymentStatus, name="PaymentStatus")
strawberry.enum(PaymentProvider, name="PaymentProvider")


@strawberry.federation.type(
    name="Payment",
    keys=["id"],
    authenticated=True,
    requires_scopes=READ_BILLING.directive,
    policy=[[INVOICE_POLICY]],
    description="A payment of an invoice at Stripe or PayPal. Settled only by the provider's "
    "verified webhook. A patient sees their own; staff and admin all.",
)
class PaymentType:
    id: strawberry.ID
    invoice_id: strawberry.ID
    provider: PaymentProvider
    status: PaymentStatus
    amount: MoneyType
    refunded: MoneyType = strawberry.field(description="Given back so far.")
    applied: MoneyType = strawberry.field(description="What counts on the invoice now.")
    unapplied: MoneyType = strawberry.field(
        description="Kept but beyond what the invoice owed (for the billing desk to refund)."
    )
    provider_reference: str | None = strawberry.field(
        description="The provider's id: a Stripe PaymentIntent, a PayPal order."
    )
    approval_url: str | None = strawberry.field(description="PayPal: where the buyer approves.")
    failure_message: str | None
    created_at: datetime
    succeeded_at: datetime | None
    updated_at: datetime

    @classmethod
    def of(cls, row: Payment) -> PaymentType:
        c = row.currency
        return cls(
            id=strawberry.ID(str(row.id)),
            invoice_id=strawberry.ID(str(row.invoice_id)),
            provider=PaymentProvider(row.provider),
            status=PaymentStatus(row.status),
            amount=money(row.amount_minor, c),
            refunded=money(row.refunded_minor, c),
            applied=money(row.applied_minor, c),
            unapplied=money(row.unapplied_minor, c),
            provider_reference=row.provider_reference,
            approval_url=row.approval_url,
            failure_message=row.failure_message,
            created_at=row.created_at,
            succeeded_at=row.succeeded_at,
            updated_at=row.updated_at,
        )

    @field(description="The invoice this pays.")
    async def invoice(self, info: Info) -> InvoiceType:
        return InvoiceType.of(await load_invoice(info, parse_id(self.invoice_id)))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> PaymentType:  # noqa: A002 (federation passes the key field by name)
        return cls.of(await load_payment(info, parse_id(id)))


@strawberry.type(name="StripePayment", description="A Stripe PaymentIntent for an invoice.")
class StripePaymentType:
    payment: PaymentType
    client_secret: str = strawberry.field(
        description="For Stripe.js (confirmCardPayment) in the payer's browser; never log it."
    )


@strawberry.type(name="PayPalPayment", description="A PayPal order for an invoice.")
class PayPalPaymentType:
    payment: PaymentType
    approval_url: str = strawberry.field(
        description="Send the buyer here to approve; then call capturePayPalPayment."
    )


async def _payments(
    session: AsyncSession, caller: Caller, keys: list[uuid.UUID]
) -> Mapping[uuid.UUID, Payment | BaseException]:
    return await service.load_payments(session, caller=caller, payment_ids=keys)


async def load_payment(info: Info, payment_id: uuid.UUID) -> Payment:
    """One payment the caller may read, batched with the request's other payment lookups."""
    payment: Payment = await load_batched(
        info.context, "billing.payment", _payments, payment_id, scopes=READ_BILLING
    )
    return payment
