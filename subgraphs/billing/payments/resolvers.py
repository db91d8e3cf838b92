"""Payment queries and mutations (``PaymentQuery``/``PaymentMutation``)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from subgraphs.billing.access.scopes import INVOICE_POLICY, PAY_BILLING, READ_BILLING, WRITE_BILLING
from subgraphs.billing.payments import service
from subgraphs.billing.payments.models import PaymentProvider
from subgraphs.billing.payments.runtime import gateways_of
from subgraphs.billing.payments.types import (
    PaymentType,
    PayPalPaymentType,
    StripePaymentType,
    load_payment,
)
from subgraphs.common.audit import serve, serve_own
from subgraphs.common.context import RequestContext
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["PaymentMutation", "PaymentQuery"]

Info = strawberry.Info[RequestContext, None]
_AMOUNT = 'Major units ("25.00"); all that is due when omitted.'


async def _start(
    info: Info, provider: PaymentProvider, invoice_id: strawberry.ID, amount: Decimal | None
) -> service.StartedPayment:
    started: service.StartedPayment = await serve_own(
        info.context,
        service.start_payment,
        gateways=gateways_of(info.context),
        provider=provider,
        invoice_id=parse_id(invoice_id, what="invoiceId"),
        amount=amount,
    )
    return started


@strawberry.type
class PaymentQuery:
    @guarded(READ_BILLING, policy=INVOICE_POLICY, description="One payment.")
    async def payment(self, info: Info, id: strawberry.ID) -> PaymentType | None:  # noqa: A002 (GraphQL argument)
        return PaymentType.of(await load_payment(info, parse_id(id)))

    @guarded(
        READ_BILLING, policy=INVOICE_POLICY, description="An invoice's payments, oldest first."
    )
    async def payments(self, info: Info, invoice_id: strawberry.ID) -> list[PaymentType]:
        invoice = parse_id(invoice_id, what="invoiceId")
        found = await serve(info.context, service.payments_of_invoices, invoice_ids=[invoice])
        return [PaymentType.of(row) for row in found[invoice]]


@strawberry.type
class PaymentMutation:
    @guarded(
        PAY_BILLING,
        policy=INVOICE_POLICY,
        description="Pay an invoice by card through Stripe: a PaymentIntent whose client secret "
        "Stripe.js confirms. The invoice is paid once Stripe's verified webhook says so.",
    )
    async def pay_invoice_with_stripe(
        self,
        info: Info,
        invoice_id: strawberry.ID,
        amount: Decimal | None = None,
    ) -> StripePaymentType:
        started = await _start(info, PaymentProvider.STRIPE, invoice_id, amount)
        assert started.client_secret is not None
        return StripePaymentType(
            payment=PaymentType.of(started.payment), client_secret=started.client_secret
        )

    @guarded(
        PAY_BILLING,
        policy=INVOICE_POLICY,
        description="Pay an invoice through PayPal: an order the buyer approves at approvalUrl, "
        "then capturePayPalPayment. The invoice is paid once PayPal's verified webhook says so.",
    )
    async def pay_invoice_with_pay_pal(  # GraphQL: payInvoiceWithPayPal
        self,
        info: Info,
        invoice_id: strawberry.ID,
        amount: Decimal | None = None,
    ) -> PayPalPaymentType:
        started = await _start(info, PaymentProvider.PAYPAL, invoice_id, amount)
        assert started.approval_url is not None
        return PayPalPaymentType(
            payment=PaymentType.of(started.payment), approval_url=started.approval_url
        )

    @guarded(
        PAY_BILLING,
        policy=INVOICE_POLICY,
        description="Capture a PayPal payment the buyer approved.",
    )
    async def capture_pay_pal_payment(  # GraphQL: capturePayPalPayment
        self, info: Info, payment_id: strawberry.ID
    ) -> PaymentType:
        row = await serve_own(
            info.context,
            service.capture_payment,
            gateways=gateways_of(info.context),
            payment_id=parse_id(payment_id, what="paymentId"),
        )
        return PaymentType.of(row)

    @guarded(
        WRITE_BILLING,
        description="Refund a payment at its provider (all that is left, or amount); the "
        "invoice and balance change when the provider's refund webhook arrives.",
    )
    async def refund_payment(
        self, info: Info, payment_id: strawberry.ID, amount: Decimal | None = None
    ) -> PaymentType:
        row = await serve_own(
            info.context,
            service.refund_payment,
            gateways=gateways_of(info.context),
            payment_id=parse_id(payment_id, what="paymentId"),
            amount=amount,
        )
        return PaymentType.of(row)
