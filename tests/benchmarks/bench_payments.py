"""Payment webhooks handled per second: verified, de-duplicated and settled on PostgreSQL.

``python -m tests.benchmarks payments``; embedded PostgreSQL unless ``DATABASE_URL`` is set.
Each of ``INVOICES`` issued invoices has a pending Stripe payment; its signed
``payment_intent.succeeded`` webhook is handled as ``/webhooks/stripe`` handles it (signature
checked by ``stripe.Webhook.construct_event``, one transaction: event id claimed, payment and
invoice updated, outbox events written), ``CONCURRENCY`` at a time. Then every webhook is
delivered again (the duplicate path), and the signature check alone gives the ceiling. PayPal's
``PAYMENT.CAPTURE.COMPLETED`` webhooks are verified by a verify-webhook-signature call, here to
the local PayPal fake on loopback.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import SecretStr
from sqlmodel import col, func, select

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.invoices.models import Invoice, InvoiceStatus
from subgraphs.billing.payments.fakes.paypal_fake import PayPalFakeSettings, create_paypal_fake
from subgraphs.billing.payments.fakes.stripe_fake import stripe_signature
from subgraphs.billing.payments.models import Payment, PaymentProvider
from subgraphs.billing.payments.providers.gateways import PaymentGateways
from subgraphs.billing.payments.providers.paypal_provider import PayPalProvider
from subgraphs.billing.payments.providers.stripe_provider import StripeProvider
from subgraphs.billing.payments.service import handle_webhook
from subgraphs.common.database import Database
from tests.benchmarks.services import migrated_database, postgres_server
from tests.router.loopback import serve

__all__ = ["main"]

INVOICES = 400
CONCURRENCY = 8
AMOUNT = 8000
SECRET = "whsec_benchmark"
PAYPAL_ID, PAYPAL_SECRET, PAYPAL_WEBHOOK = "bench-app", "bench-secret", "WH-BENCH"


async def _seed(database: Database, provider: PaymentProvider, prefix: str) -> list[str]:
    """Issued invoices with a pending payment at ``provider`` each; the payments' provider ids."""
    now = datetime.now(UTC)
    intents: list[str] = []
    async with database.transaction() as session:
        for i in range(INVOICES):
            account = BillingAccount(
                patient_id=uuid.uuid4(), patient_user_id=uuid.uuid4(), currency="EUR",
                created_at=now, created_by="bench", updated_at=now, updated_by="bench",
            )  # fmt: skip
            invoice = Invoice(
                account_id=account.id, patient_id=account.patient_id, currency="EUR",
                status=InvoiceStatus.ISSUED, number=f"INV-{prefix}-{i:06d}", subtotal_minor=AMOUNT,
                total_minor=AMOUNT, issued_at=now, created_at=now, created_by="bench",
                updated_at=now, updated_by="bench",
            )  # fmt: skip
            intent = f"{prefix}_{i:06d}"
            payment = Payment(
                invoice_id=invoice.id, patient_id=account.patient_id,
                provider=provider, amount_minor=AMOUNT, currency="EUR",
                idempotency_key=f"{prefix}-{i}", provider_reference=intent, created_at=now,
                created_by="bench", updated_at=now,
            )  # fmt: skip
            session.add(account)
            await session.flush()
            session.add(invoice)
            await session.flush()
            session.add(payment)
            intents.append(intent)
    return intents


def _webhook(intent: str) -> tuple[bytes, dict[str, str]]:
    obj = {"id": intent, "object": "payment_intent", "amount": AMOUNT, "currency": "eur",
           "status": "succeeded", "metadata": {}}  # fmt: skip
    body = orjson.dumps(
        {
            "id": f"evt_{uuid.uuid4().hex}",
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {"object": obj},
        }
    )
    return body, {"stripe-signature": stripe_signature(body, SECRET)}


def _paypal_webhook(fake: Any, order: str) -> tuple[bytes, dict[str, str]]:
    capture = {"id": f"CAP{order}", "status": "COMPLETED",
               "amount": {"currency_code": "EUR", "value": "80.00"},
               "supplementary_data": {"related_ids": {"order_id": order}}}  # fmt: skip
    body = orjson.dumps(
        {
            "id": f"WH-{uuid.uuid4().hex}",
            "event_type": "PAYMENT.CAPTURE.COMPLETED",
            "resource_type": "capture",
            "resource": capture,
        }
    )
    return body, dict(fake.sign(body))


async def _deliver_all(
    database: Database,
    gateways: PaymentGateways,
    hooks: list[tuple[bytes, dict[str, str]]],
    provider: PaymentProvider = PaymentProvider.STRIPE,
) -> tuple[float, int]:
    """Seconds to handle every webhook, ``CONCURRENCY`` at a time; how many were duplicates."""
    gate = asyncio.Semaphore(CONCURRENCY)
    duplicates = 0

    async def one(body: bytes, headers: dict[str, str]) -> None:
        nonlocal duplicates
        async with gate:
            result = await handle_webhook(
                database, gateways=gateways, provider=provider, body=body, headers=headers,
            )  # fmt: skip
        duplicates += result.duplicate

    started = time.perf_counter()
    await asyncio.gather(*(one(body, headers) for body, headers in hooks))
    return time.perf_counter() - started, duplicates


async def _run(url: str, paypal_url: str, paypal_fake: Any) -> None:
    database = Database(url, pool_size=CONCURRENCY + 2)
    stripe = StripeProvider(secret_key="sk_test_benchmark", webhook_secret=SECRET)
    paypal = PayPalProvider(
        client_id=PAYPAL_ID, client_secret=PAYPAL_SECRET, webhook_id=PAYPAL_WEBHOOK,
        api_base=paypal_url,
    )  # fmt: skip
    gateways = PaymentGateways(stripe=stripe, paypal=paypal)
    try:
        intents = await _seed(database, PaymentProvider.STRIPE, "pi_bench")
        orders = await _seed(database, PaymentProvider.PAYPAL, "PAYPALBENCH")
        hooks = [_webhook(intent) for intent in intents]
        verify_started = time.perf_counter()
        for body, headers in hooks:
            await stripe.parse_webhook(body=body, headers=headers)
        verify = time.perf_counter() - verify_started
        first, _ = await _deliver_all(database, gateways, hooks)
        again, duplicates = await _deliver_all(database, gateways, hooks)
        paypal_hooks = [_paypal_webhook(paypal_fake, order) for order in orders]
        paypal_first, _ = await _deliver_all(
            database, gateways, paypal_hooks, PaymentProvider.PAYPAL
        )
        async with database.session() as session:
            paid = (
                await session.exec(
                    select(func.count()).where(col(Invoice.status) == InvoiceStatus.PAID)
                )
            ).one()
    finally:
        await gateways.aclose()
        await database.dispose()
    assert paid == 2 * INVOICES, f"{paid} of {2 * INVOICES} invoices paid"
    assert duplicates == INVOICES
    print(f"  Stripe signature check alone (construct_event): {INVOICES / verify:,.0f} webhooks/s")
    print(
        f"  Stripe, first delivery, settles the invoice:     {INVOICES / first:,.0f} webhooks/s "
        f"({INVOICES} webhooks, {CONCURRENCY} at a time, {first * 1000 / INVOICES:.1f} ms each)"
    )
    print(f"  Stripe, duplicate delivery, changes nothing:     {INVOICES / again:,.0f} webhooks/s")
    print(
        f"  PayPal, first delivery (verify call to the fake): {INVOICES / paypal_first:,.0f} "
        "webhooks/s"
    )


async def main() -> None:
    fake = create_paypal_fake(
        PayPalFakeSettings(
            client_id=PAYPAL_ID, client_secret=SecretStr(PAYPAL_SECRET), webhook_id=PAYPAL_WEBHOOK
        )
    )
    with postgres_server() as server_url:
        async with migrated_database(server_url, "billing") as url, serve(fake) as paypal_url:
            await _run(url, paypal_url, fake.state.fake)
