"""The fakes' webhook delivery: retried until accepted, listed, and sent again on request."""

from __future__ import annotations

import httpx

from subgraphs.billing.payments.fakes.stripe_fake import stripe_signature
from tests.subgraphs.billing.payments.conftest import STRIPE_KEY, STRIPE_WEBHOOK_SECRET, Fake

AUTH = {"authorization": f"Bearer {STRIPE_KEY}"}


async def pay(client: httpx.AsyncClient, fake: Fake) -> str:
    created = await client.post(
        f"{fake.url}/v1/payment_intents", data={"amount": "700", "currency": "usd"}, headers=AUTH
    )
    intent = created.json()["id"]
    await client.post(f"{fake.url}/v1/payment_intents/{intent}/confirm", headers=AUTH)
    return str(intent)


async def test_a_refused_delivery_is_retried_and_a_resend_is_signed_anew(stripe_fake: Fake) -> None:
    stripe_fake.receiver.status = 500
    async with httpx.AsyncClient() as client:
        await pay(client, stripe_fake)
        first, retry = await stripe_fake.receiver.wait_for(2)  # the fixture allows 2 attempts
        [listed] = (await client.get(f"{stripe_fake.url}/_fake/events")).json()
        assert listed["type"] == "payment_intent.succeeded"
        assert (listed["attempts"], listed["delivered"], listed["status"]) == (2, False, 500)
        assert first.body == retry.body

        stripe_fake.receiver.status = 200
        resent = await client.post(f"{stripe_fake.url}/_fake/events/{listed['id']}/resend")
        assert resent.is_success
        *_, last = await stripe_fake.receiver.wait_for(3)

    assert last.body == first.body
    stamp = int(last.headers["stripe-signature"].split(",")[0].removeprefix("t="))
    assert last.headers["stripe-signature"] == stripe_signature(
        last.body, STRIPE_WEBHOOK_SECRET, stamp
    )


async def test_the_api_wants_the_configured_key(stripe_fake: Fake) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.get(
            f"{stripe_fake.url}/v1/payment_intents/pi_x",
            headers={"authorization": "Bearer sk_test_other"},
        )
        missing = await client.get(f"{stripe_fake.url}/v1/payment_intents/pi_x", headers=AUTH)
    assert answer.status_code == 401
    assert answer.json()["error"]["type"] == "invalid_request_error"
    assert missing.status_code == 404


async def test_paypal_shows_the_buyer_an_approval_page(paypal_fake: Fake) -> None:
    async with httpx.AsyncClient() as client:
        unknown = await client.get(f"{paypal_fake.url}/checkoutnow", params={"token": "NOPE"})
        no_token = await client.post(f"{paypal_fake.url}/v2/checkout/orders", json={})
    assert unknown.status_code == 404
    assert no_token.status_code == 401
