"""The Stripe fake's payer side: confirming with the PaymentIntent's client secret (Stripe.js)."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from subgraphs.billing.payments.fakes.stripe_fake import StripeFakeSettings, create_stripe_fake

KEY = "sk_test_fake_suite"


async def test_the_payer_confirms_with_the_client_secret_not_the_api_key() -> None:
    app = create_stripe_fake(StripeFakeSettings(api_key=SecretStr(KEY)))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://stripe") as client:
        created = await client.post(
            "/v1/payment_intents",
            data={"amount": "2500", "currency": "gbp", "metadata[invoice_id]": "inv"},
            headers={"authorization": f"Bearer {KEY}"},
        )
        intent = created.json()
        confirm = f"/v1/payment_intents/{intent['id']}/confirm"
        anonymous = await client.post(confirm)
        wrong = await client.post(confirm, data={"client_secret": "pi_x_secret_guess"})
        declined = await client.post(
            confirm,
            data={
                "client_secret": intent["client_secret"],
                "payment_method": "pm_card_chargeDeclined",
            },
        )
        paid = await client.post(confirm, data={"client_secret": intent["client_secret"]})
        await app.state.fake.sender.aclose()

    assert intent["metadata"] == {"invoice_id": "inv"}
    assert anonymous.status_code == 401
    assert wrong.status_code == 400
    assert declined.json()["last_payment_error"]["code"] == "card_declined"
    assert (paid.json()["status"], paid.json()["amount_received"]) == ("succeeded", 2500)
    kinds = [delivery.event_type for delivery in app.state.fake.sender.deliveries()]
    assert kinds == ["payment_intent.payment_failed", "payment_intent.succeeded"]
