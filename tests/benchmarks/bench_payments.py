"""Payment webhooks handled per second: verified, de-duplicated and settled on PostgreSQL.

``python -m tests.benchmarks payments``; embedded PostgreSQL unless ``DATABASE_URL`` is set.
Each of ``INVOICES`` issued invoices has a pending Stripe payment; its signed
``payment_intent.succeeded`` webhook is handled as ``/webhooks/stripe`` handles it (signature
checked by ``stripe.Webhook.construct_event``, one transaction: event id claimed, payment and
invoice updated, outbox events written), ``CONCURRENCY`` at a time. Then every webhook is
delivered again (the duplicate path), and the signature check alone gives the ceiling.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

import orjson
from sqlmodel import col, func, select

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.invoices.models import Invoice, InvoiceStatus
from subgraphs.billing.payments.fakes.stripe_fake import stripe_signature
from subgraphs.billing.payments.models import Payment, PaymentProvider
from subgraphs.billing.payments.providers.gateways import PaymentGateways
from subgraphs.billing.payments.providers.stripe_provider import StripeProvider
from subgraphs.billing.payments.service import handle_webhook
from subgraphs.common.database import Database
from tests.benchmarks.services import migrated_database, postgres_server

__all__ = ["main"]

INVOICES = 400
CONCURRENCY = 8
AMOUNT = 8000
SECRET = "whsec_benchmark"


async def _seed(database: Database) -> list[str]:
    """Issued invoices with a pending Stripe payment each; the payments' PaymentIntent ids."""
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
                status=InvoiceStatus.ISSUED, number=f"INV-BENCH-{i:06d}", subtotal_minor=AMOUNT,
                total_minor=AMOUNT, issued_at=now, created_at=now, created_by="bench",
                updated_at=now, updated_by="bench",
            )  # fmt: skip
            intent = f"pi_bench_{i:06d}"
            payment = Payment(
                invoice_id=invoice.id, patient_id=account.patient_id,
                provider=PaymentProvider.STRIPE, amount_minor=AMOUNT, currency="EUR",
                idempotency_key=f"bench-{i}", provider_reference=intent, created_at=now,
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


async def _deliver_all(
    database: Database, gateways: PaymentGateways, hooks: list[tuple[bytes, dict[str, str]]]
) -> tuple[float, int]:
    """Seconds to handle every webhook, ``CONCURRENCY`` at a time; how many were duplicates."""
    gate = asyncio.Semaphore(CONCURRENCY)
    duplicates = 0

    async def one(body: bytes, headers: dict[str, str]) -> None:
        nonlocal duplicates
        async with gate:
            result = await handle_webhook(
                database, gateways=gateways, provider=PaymentProvider.STRIPE, body=body,
                headers=headers,
            )  # fmt: skip
        duplicates += result.duplicate

    started = time.perf_counter()
    await asyncio.gather(*(one(body, headers) for body, headers in hooks))
    return time.perf_counter() - started, duplicates


async def _run(url: str) -> None:
    database = Database(url, pool_size=CONCURRENCY + 2)
    stripe = StripeProvider(secret_key="sk_test_benchmark", webhook_secret=SECRET)
    gateways = PaymentGateways(stripe=stripe)
    try:
        intents = await _seed(database)
        hooks = [_webhook(intent) for intent in intents]
        verify_started = time.perf_counter()
        for body, headers in hooks:
            await stripe.parse_webhook(body=body, headers=headers)
        verify = time.perf_counter() - verify_started
        first, _ = await _deliver_all(database, gateways, hooks)
        again, duplicates = await _deliver_all(database, gateways, hooks)
        async with database.session() as session:
            paid = (
                await session.exec(
                    select(func.count()).where(col(Invoice.status) == InvoiceStatus.PAID)
                )
            ).one()
    finally:
        await gateways.aclose()
        await database.dispose()
    assert paid == INVOICES, f"{paid} of {INVOICES} invoices paid"
    assert duplicates == INVOICES
    print(f"  signature check alone (construct_event): {INVOICES / verify:,.0f} webhooks/s")
    print(
        f"  first delivery, settles the invoice:     {INVOICES / first:,.0f} webhooks/s "
        f"({INVOICES} webhooks, {CONCURRENCY} at a time, {first * 1000 / INVOICES:.1f} ms each)"
    )
    print(f"  duplicate delivery, changes nothing:     {INVOICES / again:,.0f} webhooks/s")


async def main() -> None:
    with postgres_server() as server_url:
        async with migrated_database(server_url, "billing") as url:
            await _run(url)
