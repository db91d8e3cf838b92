"""The Stripe adapter over the real ``stripe`` SDK, against the local Stripe fake."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import orjson
import pytest

from subgraphs.billing.payments.fakes.stripe_fake import stripe_signature
from subgraphs.billing.payments.providers.base import (
    CreatedPayment,
    EventKind,
    ProviderError,
    WebhookRejected,
)
from subgraphs.billing.payments.providers.stripe_provider import StripeProvider
from tests.subgraphs.billing.payments.conftest import STRIPE_KEY, STRIPE_WEBHOOK_SECRET, Fake


@pytest.fixture
async def providers() -> AsyncIterator[list[StripeProvider]]:
    made: list[StripeProvider] = []
    yield made
    for each in made:
        await each.aclose()


@pytest.fixture
def provider(providers: list[StripeProvider]) -> Callable[..., StripeProvider]:
    def make(fake: Fake, *, key: str = STRIPE_KEY) -> StripeProvider:
        made = StripeProvider(
            secret_key=key, webhook_secret=STRIPE_WEBHOOK_SECRET, api_base=fake.url, timeout=5
        )
        providers.append(made)
        return made

    return make


async def open_payment(
    stripe: StripeProvider, amount: int = 1250, key: str | None = None
) -> CreatedPayment:
    return await stripe.create_payment(
        payment_id="pay-1",
        invoice_id="inv-1",
        amount_minor=amount,
        currency="EUR",
        idempotency_key=key or str(uuid.uuid4()),
        description="INV-2026-000001",
    )


async def confirm(fake: Fake, reference: str, method: str = "pm_card_visa") -> None:
    """What Stripe.js does in the payer's browser: confirm with a (test) card."""
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{fake.url}/v1/payment_intents/{reference}/confirm",
            data={"payment_method": method},
            headers={"authorization": f"Bearer {STRIPE_KEY}"},
        )
    response.raise_for_status()


async def test_a_payment_intent_is_created_once_per_idempotency_key(
    stripe_fake: Fake, provider: Callable[..., StripeProvider]
) -> None:
    stripe = provider(stripe_fake)
    first = await open_payment(stripe, key="key-A")
    again = await open_payment(stripe, key="key-A")
    other = await open_payment(stripe, key="key-B")

    assert first.reference.startswith("pi_")
    assert first.client_secret
    assert first.client_secret.startswith(f"{first.reference}_secret_")
    assert first.status == "requires_payment_method"
    assert again == first
    assert other.reference != first.reference


async def test_an_idempotency_key_reused_for_another_amount_is_refused(
    stripe_fake: Fake, provider: Callable[..., StripeProvider]
) -> None:
    stripe = provider(stripe_fake)
    await open_payment(stripe, amount=100, key="key-C")
    with pytest.raises(ProviderError, match="same parameters"):
        await open_payment(stripe, amount=200, key="key-C")


async def test_a_wrong_api_key_is_a_provider_error(
    stripe_fake: Fake, provider: Callable[..., StripeProvider]
) -> None:
    with pytest.raises(ProviderError, match="Invalid API Key") as raised:
        await open_payment(provider(stripe_fake, key="sk_test_wrong"))
    assert not raised.value.retryable


async def test_paying_sends_a_signed_succeeded_webhook_that_verifies(
    stripe_fake: Fake, provider: Callable[..., StripeProvider]
) -> None:
    stripe = provider(stripe_fake)
    created = await open_payment(stripe, amount=4200)
    await confirm(stripe_fake, created.reference)

    [webhook] = await stripe_fake.receiver.wait_for(1)
    assert webhook.headers["stripe-signature"].startswith("t=")
    event = await stripe.parse_webhook(body=webhook.body, headers=webhook.headers)

    assert event is not None
    assert event.kind is EventKind.SUCCEEDED
    assert event.provider == "stripe"
    assert event.event_id.startswith("evt_")
    assert (event.amount_minor, event.currency) == (4200, "EUR")
    assert event.payment_reference == created.reference
    assert (event.invoice_reference, event.payment_id) == ("inv-1", "pay-1")
    captured = await stripe.capture(reference=created.reference, idempotency_key="unused")
    assert (captured.status, captured.amount_minor) == ("succeeded", 4200)


async def test_a_declined_card_sends_payment_failed(
    stripe_fake: Fake, provider: Callable[..., StripeProvider]
) -> None:
    stripe = provider(stripe_fake)
    created = await open_payment(stripe)
    await confirm(stripe_fake, created.reference, "pm_card_chargeDeclined")

    [webhook] = await stripe_fake.receiver.wait_for(1)
    event = await stripe.parse_webhook(body=webhook.body, headers=webhook.headers)
    assert event is not None
    assert event.kind is EventKind.FAILED
    assert event.failure_message == "Your card was declined."


async def test_refunds_report_the_total_refunded(
    stripe_fake: Fake, provider: Callable[..., StripeProvider]
) -> None:
    stripe = provider(stripe_fake)
    created = await open_payment(stripe, amount=1000)
    await confirm(stripe_fake, created.reference)
    first = await stripe.refund(
        reference=created.reference, amount_minor=300, currency="EUR", idempotency_key="r1"
    )
    again = await stripe.refund(
        reference=created.reference, amount_minor=300, currency="EUR", idempotency_key="r1"
    )
    await stripe.refund(
        reference=created.reference, amount_minor=None, currency="EUR", idempotency_key="r2"
    )
    with pytest.raises(ProviderError):
        await stripe.refund(
            reference=created.reference, amount_minor=1, currency="EUR", idempotency_key="r3"
        )

    assert first == again
    assert first.startswith("re_")
    hooks = await stripe_fake.receiver.wait_for(3)
    events = [await stripe.parse_webhook(body=h.body, headers=h.headers) for h in hooks]
    refunds = [event for event in events if event and event.kind is EventKind.REFUNDED]
    assert sorted(event.amount_minor for event in refunds) == [300, 1000]
    assert {event.payment_reference for event in refunds} == {created.reference}


def signed(payload: bytes, secret: str = STRIPE_WEBHOOK_SECRET, age: int = 0) -> dict[str, str]:
    return {"Stripe-Signature": stripe_signature(payload, secret, int(time.time()) - age)}


def an_event(kind: str = "payment_intent.succeeded", amount: int = 500) -> bytes:
    intent = {"id": "pi_x", "object": "payment_intent", "amount": amount, "currency": "usd",
              "metadata": {"invoice_id": "inv-9"}, "latest_charge": "ch_x"}  # fmt: skip
    return orjson.dumps(
        {
            "id": f"evt_{uuid.uuid4().hex}",
            "object": "event",
            "type": kind,
            "created": int(time.time()),
            "data": {"object": intent},
        }
    )


BODY = an_event()


async def test_a_genuine_webhook_verifies(
    stripe_fake: Fake, provider: Callable[..., StripeProvider]
) -> None:
    body = an_event()
    event = await provider(stripe_fake).parse_webhook(body=body, headers=signed(body))
    assert event is not None
    assert event.amount_minor == 500


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        pytest.param(BODY, lambda: signed(BODY, secret="whsec_someone_else"), id="forged"),
        pytest.param(BODY, lambda: signed(BODY, age=301), id="stale"),
        pytest.param(BODY, dict, id="unsigned"),
        pytest.param(BODY, lambda: {"Stripe-Signature": "t=1,v1=00"}, id="garbage-signature"),
        pytest.param(
            BODY.replace(b'"amount":500', b'"amount":5'), lambda: signed(BODY), id="tampered"
        ),
        pytest.param(b"not json", lambda: signed(b"not json"), id="not-json"),
    ],
)
async def test_a_webhook_that_does_not_check_out_is_rejected(
    stripe_fake: Fake,
    provider: Callable[..., StripeProvider],
    body: bytes,
    headers: Callable[[], dict[str, str]],
) -> None:
    with pytest.raises(WebhookRejected):
        await provider(stripe_fake).parse_webhook(body=body, headers=headers())


async def test_an_event_billing_ignores_parses_to_none(
    stripe_fake: Fake, provider: Callable[..., StripeProvider]
) -> None:
    body = an_event("customer.created")
    assert await provider(stripe_fake).parse_webhook(body=body, headers=signed(body)) is None
