"""Payment rules on a real database, with the real SDKs against the local Stripe and PayPal fakes:
only a verified webhook settles, once, for the right money; refunds move the balance back."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import orjson
import pytest
from sqlmodel import col, select

from subgraphs.billing.accounts.service import ensure_account
from subgraphs.billing.invoices import service as invoices
from subgraphs.billing.invoices.models import Invoice, InvoiceStatus
from subgraphs.billing.payments import service
from subgraphs.billing.payments.fakes.stripe_fake import stripe_signature
from subgraphs.billing.payments.models import (
    Payment,
    PaymentProvider,
    PaymentStatus,
    PaymentWebhook,
    WebhookOutcome,
)
from subgraphs.billing.payments.providers.base import WebhookRejected
from subgraphs.billing.payments.providers.gateways import PaymentGateways
from subgraphs.billing.payments.settings import PaymentSettings
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import Conflict, Forbidden, ServiceUnavailable
from subgraphs.common.outbox.models import OutboxEvent
from tests.subgraphs.billing.payments.conftest import (
    STRIPE_KEY,
    STRIPE_WEBHOOK_SECRET,
    Fake,
    Received,
    provider_settings,
)
from tests.support.callers import make_caller

STRIPE = PaymentProvider.STRIPE
PAYPAL = PaymentProvider.PAYPAL
LINE = invoices.LineDraft(
    service_code="CONSULT", description="Consultation", unit_price=Decimal("80.00")
)


@pytest.fixture
async def gateways(stripe_fake: Fake, paypal_fake: Fake) -> AsyncIterator[PaymentGateways]:
    made = PaymentGateways.from_settings(
        PaymentSettings(**provider_settings(stripe_fake, paypal_fake))
    )
    yield made
    await made.aclose()


async def issued_invoice(database: Database, patient: Caller) -> uuid.UUID:
    """An issued invoice of 80.00 EUR on ``patient``'s own account."""
    staff = make_caller(Role.STAFF)
    patient_id = uuid.uuid4()
    async with database.transaction() as session:
        await ensure_account(
            session, patient_id=patient_id, actor="test", currency="EUR",
            patient_user_id=patient.user_id,
        )  # fmt: skip
        draft = await invoices.create_invoice(
            session, caller=staff, patient_id=patient_id, default_currency="EUR"
        )
        await invoices.add_line(session, caller=staff, invoice_id=draft.id, line=LINE)
    await database.transact(lambda s: invoices.issue_invoice(s, caller=staff, invoice_id=draft.id))
    return draft.id


async def invoice_of(database: Database, invoice_id: uuid.UUID) -> Invoice:
    async with database.session() as session:
        found = await session.get(Invoice, invoice_id)
    assert found is not None
    return found


async def stripe_pays(fake: Fake, reference: str, method: str = "pm_card_visa") -> None:
    """The payer's browser (Stripe.js) confirms the PaymentIntent with a test card."""
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{fake.url}/v1/payment_intents/{reference}/confirm",
            data={"payment_method": method},
            headers={"authorization": f"Bearer {STRIPE_KEY}"},
        )
    answer.raise_for_status()


async def deliver(
    database: Database, gateways: PaymentGateways, provider: PaymentProvider, hook: Received
) -> service.WebhookResult:
    return await service.handle_webhook(
        database, gateways=gateways, provider=provider, body=hook.body, headers=hook.headers
    )


async def start(
    database: Database,
    gateways: PaymentGateways,
    caller: Caller,
    invoice_id: uuid.UUID,
    provider: PaymentProvider = STRIPE,
    amount: Decimal | None = None,
) -> service.StartedPayment:
    return await service.start_payment(
        database, caller=caller, gateways=gateways, provider=provider, invoice_id=invoice_id,
        amount=amount,
    )  # fmt: skip


async def paid_by_stripe(
    database: Database, gateways: PaymentGateways, fake: Fake, patient: Caller
) -> tuple[uuid.UUID, Payment]:
    """An invoice of ``patient``'s, paid in full by Stripe (webhook delivered)."""
    invoice_id = await issued_invoice(database, patient)
    started = await start(database, gateways, patient, invoice_id)
    assert started.payment.provider_reference
    await stripe_pays(fake, started.payment.provider_reference)
    await deliver(database, gateways, STRIPE, (await fake.receiver.wait_for(1))[0])
    return invoice_id, started.payment


@pytest.fixture
def patient() -> Caller:
    return make_caller(Role.PATIENT)


async def test_stripe_pays_the_invoice_only_after_the_verified_webhook(
    database: Database, gateways: PaymentGateways, stripe_fake: Fake, patient: Caller
) -> None:
    invoice_id = await issued_invoice(database, patient)
    started = await start(database, gateways, patient, invoice_id, STRIPE)
    again = await start(database, gateways, patient, invoice_id, STRIPE)
    assert again.payment.id == started.payment.id  # one PaymentIntent per invoice and amount
    assert again.client_secret == started.client_secret
    assert started.payment.provider_reference
    assert (started.payment.amount_minor, started.payment.currency) == (8000, "EUR")

    await stripe_pays(stripe_fake, started.payment.provider_reference)
    assert (await invoice_of(database, invoice_id)).status == InvoiceStatus.ISSUED  # not yet
    [hook] = await stripe_fake.receiver.wait_for(1)
    result = await deliver(database, gateways, STRIPE, hook)
    duplicate = await deliver(database, gateways, STRIPE, hook)

    assert (result.outcome, result.duplicate) == (WebhookOutcome.APPLIED, False)
    assert duplicate.duplicate
    invoice = await invoice_of(database, invoice_id)
    assert (invoice.status, invoice.paid_minor, invoice.due_minor) == (InvoiceStatus.PAID, 8000, 0)
    async with database.session() as session:
        payment = await session.get(Payment, started.payment.id)
        types = (await session.exec(select(OutboxEvent.type))).all()
    assert payment is not None
    assert (payment.status, payment.applied_minor) == (PaymentStatus.SUCCEEDED, 8000)
    assert types.count("payment.succeeded") == 1
    assert types.count("invoice.paid") == 1


async def test_paypal_pays_after_approval_capture_and_the_verified_webhook(
    database: Database, gateways: PaymentGateways, paypal_fake: Fake, patient: Caller
) -> None:
    invoice_id = await issued_invoice(database, patient)
    started = await service.start_payment(
        database, caller=patient, gateways=gateways, provider=PAYPAL, invoice_id=invoice_id,
        amount=Decimal("30.00"),
    )  # fmt: skip
    assert started.approval_url is not None
    with pytest.raises(Conflict, match="not yet approved"):  # by the buyer
        await service.capture_payment(
            database, caller=patient, gateways=gateways, payment_id=started.payment.id
        )
    async with httpx.AsyncClient() as client:
        (await client.post(started.approval_url)).raise_for_status()
    captured = await service.capture_payment(
        database, caller=patient, gateways=gateways, payment_id=started.payment.id
    )
    assert captured.capture_reference
    assert (await invoice_of(database, invoice_id)).status == InvoiceStatus.ISSUED

    [hook] = await paypal_fake.receiver.wait_for(1)
    assert (await deliver(database, gateways, PAYPAL, hook)).outcome is WebhookOutcome.APPLIED
    invoice = await invoice_of(database, invoice_id)
    assert (invoice.status, invoice.due_minor) == (InvoiceStatus.PARTIALLY_PAID, 5000)


async def test_refunds_move_the_invoice_and_balance_back(
    database: Database, gateways: PaymentGateways, stripe_fake: Fake, patient: Caller
) -> None:
    invoice_id, paid = await paid_by_stripe(database, gateways, stripe_fake, patient)

    desk = make_caller(Role.STAFF)
    with pytest.raises(Forbidden):  # a patient cannot refund
        await service.refund_payment(
            database, caller=patient, gateways=gateways, payment_id=paid.id
        )
    await service.refund_payment(
        database, caller=desk, gateways=gateways, payment_id=paid.id,
        amount=Decimal("20.00"),
    )  # fmt: skip
    hooks = await stripe_fake.receiver.wait_for(2)
    await deliver(database, gateways, STRIPE, hooks[1])
    invoice = await invoice_of(database, invoice_id)
    assert (invoice.status, invoice.due_minor) == (InvoiceStatus.PARTIALLY_PAID, 2000)

    await service.refund_payment(database, caller=desk, gateways=gateways, payment_id=paid.id)
    hooks = await stripe_fake.receiver.wait_for(3)
    await deliver(database, gateways, STRIPE, hooks[2])
    await deliver(database, gateways, STRIPE, hooks[1])  # the first refund, once more, late
    invoice = await invoice_of(database, invoice_id)
    assert (invoice.status, invoice.paid_minor, invoice.due_minor) == (
        InvoiceStatus.ISSUED,
        0,
        8000,
    )
    async with database.session() as session:
        payment = await session.get(Payment, paid.id)
    assert payment is not None
    assert (payment.status, payment.refunded_minor, payment.applied_minor) == (
        PaymentStatus.REFUNDED, 8000, 0,
    )  # fmt: skip


async def test_webhooks_out_of_order_settle_the_same(
    database: Database, gateways: PaymentGateways, stripe_fake: Fake, patient: Caller
) -> None:
    invoice_id = await issued_invoice(database, patient)
    started = await start(database, gateways, patient, invoice_id, STRIPE)
    assert started.payment.provider_reference
    await stripe_pays(stripe_fake, started.payment.provider_reference, "pm_card_chargeDeclined")
    await stripe_pays(stripe_fake, started.payment.provider_reference)
    failed, succeeded = await stripe_fake.receiver.wait_for(2)
    # the success arrives first, the earlier failure after it: the payment stays paid
    await deliver(database, gateways, STRIPE, succeeded)
    late = await deliver(database, gateways, STRIPE, failed)
    assert late.outcome is WebhookOutcome.RECORDED
    assert (await invoice_of(database, invoice_id)).status == InvoiceStatus.PAID


def signed_event(
    kind: str, obj: dict[str, object], *, age: int = 0, secret: str = STRIPE_WEBHOOK_SECRET
) -> Received:
    body = orjson.dumps(
        {
            "id": f"evt_{uuid.uuid4().hex}",
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    )
    signature = stripe_signature(body, secret, int(time.time()) - age)
    return Received({"stripe-signature": signature}, body)


async def test_wrong_money_forged_and_stale_webhooks_change_nothing(
    database: Database, gateways: PaymentGateways, patient: Caller
) -> None:
    invoice_id = await issued_invoice(database, patient)
    started = await start(database, gateways, patient, invoice_id, STRIPE)
    intent = {"id": started.payment.provider_reference, "object": "payment_intent",
              "amount": 8000, "currency": "eur", "metadata": {"invoice_id": str(invoice_id)}}  # fmt: skip
    for forged in (
        signed_event("payment_intent.succeeded", intent, secret="whsec_attacker"),
        signed_event("payment_intent.succeeded", intent, age=301),
    ):
        with pytest.raises(WebhookRejected):
            await deliver(database, gateways, STRIPE, forged)
    for wrong in (
        {**intent, "amount": 100},
        {**intent, "currency": "usd"},
        {**intent, "metadata": {"invoice_id": str(uuid.uuid4())}},
    ):
        result = await deliver(
            database, gateways, STRIPE, signed_event("payment_intent.succeeded", wrong)
        )
        assert result.outcome is WebhookOutcome.REJECTED
    # even the right event, once the payment was reported with the wrong money, pays nothing
    await deliver(database, gateways, STRIPE, signed_event("payment_intent.succeeded", intent))
    invoice = await invoice_of(database, invoice_id)
    assert (invoice.status, invoice.paid_minor) == (InvoiceStatus.ISSUED, 0)
    async with database.session() as session:
        payment = await session.get(Payment, started.payment.id)
        outcomes = (
            await session.exec(
                select(PaymentWebhook.outcome).order_by(col(PaymentWebhook.received_at))
            )
        ).all()
    assert payment is not None
    assert payment.status == PaymentStatus.REJECTED
    assert outcomes == [WebhookOutcome.REJECTED] * 4  # forged and stale ones left no row


async def test_a_patient_cannot_pay_or_read_another_patients_invoice(
    database: Database, gateways: PaymentGateways, patient: Caller
) -> None:
    invoice_id = await issued_invoice(database, patient)
    started = await start(database, gateways, patient, invoice_id, STRIPE)
    intruder = make_caller(Role.PATIENT)
    for provider in (STRIPE, PAYPAL):
        with pytest.raises(Forbidden):
            await service.start_payment(
                database, caller=intruder, gateways=gateways, provider=provider,
                invoice_id=invoice_id,
            )  # fmt: skip
    with pytest.raises(Forbidden):
        await service.capture_payment(
            database, caller=intruder, gateways=gateways, payment_id=started.payment.id
        )
    async with database.transaction() as session:
        answers = await service.load_payments(
            session, caller=intruder, payment_ids=[started.payment.id]
        )
        mine = await service.load_payments(
            session, caller=patient, payment_ids=[started.payment.id]
        )
        listed = await service.payments_of_invoices(
            session, caller=intruder, invoice_ids=[invoice_id]
        )
    assert isinstance(answers[started.payment.id], Forbidden)
    assert isinstance(mine[started.payment.id], Payment)
    assert listed == {invoice_id: []}
    async with database.session() as session:
        denials = (
            await session.exec(
                select(OutboxEvent).where(
                    col(OutboxEvent.type) == "access.denied",
                    col(OutboxEvent.actor) == intruder.actor,
                )
            )
        ).all()
    assert denials


async def test_a_paid_invoice_takes_no_new_payment(
    database: Database, gateways: PaymentGateways, stripe_fake: Fake, patient: Caller
) -> None:
    invoice_id, _ = await paid_by_stripe(database, gateways, stripe_fake, patient)
    with pytest.raises(Conflict, match="not awaiting payment"):
        await start(database, gateways, patient, invoice_id, PAYPAL)


async def test_an_unconfigured_provider_is_unavailable(database: Database, patient: Caller) -> None:
    invoice_id = await issued_invoice(database, patient)
    with pytest.raises(ServiceUnavailable, match="Stripe payments are not configured"):
        await start(database, PaymentGateways(), patient, invoice_id)


async def test_the_same_webhook_delivered_five_times_at_once_applies_once(
    database: Database, gateways: PaymentGateways, stripe_fake: Fake, patient: Caller
) -> None:
    invoice_id = await issued_invoice(database, patient)
    started = await start(database, gateways, patient, invoice_id)
    assert started.payment.provider_reference
    await stripe_pays(stripe_fake, started.payment.provider_reference)
    [hook] = await stripe_fake.receiver.wait_for(1)
    results = await asyncio.gather(*(deliver(database, gateways, STRIPE, hook) for _ in range(5)))
    assert sorted(result.duplicate for result in results) == [False, True, True, True, True]
    invoice = await invoice_of(database, invoice_id)
    assert (invoice.status, invoice.paid_minor) == (InvoiceStatus.PAID, 8000)


async def test_an_event_that_overtook_its_payment_is_applied_when_delivered_again(
    database: Database, gateways: PaymentGateways, patient: Caller
) -> None:
    invoice_id = await issued_invoice(database, patient)
    started = await start(database, gateways, patient, invoice_id)
    reference = started.payment.provider_reference
    intent = {"id": reference, "object": "payment_intent", "amount": 8000, "currency": "eur"}
    hook = signed_event("payment_intent.succeeded", intent)

    async def remembered(value: str | None) -> None:
        async with database.transaction() as session:
            payment = await session.get(Payment, started.payment.id)
            assert payment is not None
            payment.provider_reference = value
            session.add(payment)

    await remembered(None)  # as if the webhook came before billing stored the PaymentIntent id
    early = await deliver(database, gateways, STRIPE, hook)
    await remembered(reference)
    again = await deliver(database, gateways, STRIPE, hook)
    third = await deliver(database, gateways, STRIPE, hook)

    assert early.outcome is WebhookOutcome.UNKNOWN_PAYMENT
    assert (again.outcome, again.duplicate) == (WebhookOutcome.APPLIED, False)
    assert third.duplicate
    assert (await invoice_of(database, invoice_id)).status == InvoiceStatus.PAID
