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


async def test_test_card_numbers_and_the_web_apps_origin() -> None:
    """The app's origin gets CORS (a preflight too); test card numbers pay or decline in words."""
    origin = "http://127.0.0.1:4000"
    settings = StripeFakeSettings(api_key=SecretStr(KEY), allowed_origins=[origin])
    app = create_stripe_fake(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://stripe") as client:

        async def confirm(number: str, sent_from: str = origin) -> httpx.Response:
            created = await client.post(
                "/v1/payment_intents",
                data={"amount": "900", "currency": "gbp"},
                headers={"authorization": f"Bearer {KEY}"},
            )
            intent = created.json()
            return await client.post(
                f"/v1/payment_intents/{intent['id']}/confirm",
                data={
                    "client_secret": intent["client_secret"],
                    "payment_method_data[type]": "card",
                    "payment_method_data[card][number]": number,
                },
                headers={"origin": sent_from},
            )

        preflight = await client.options(
            "/v1/payment_intents/pi_x/confirm",
            headers={"origin": origin, "access-control-request-method": "POST"},
        )
        stranger = await client.options(
            "/v1/payment_intents/pi_x/confirm",
            headers={"origin": "http://evil.test", "access-control-request-method": "POST"},
        )
        paid = await confirm("4242 4242 4242 4242")
        declined = await confirm("4000000000000002")
        poor = await confirm("4000-0000-0000-9995")
        unknown = await confirm("1234123412341234")
        elsewhere = await confirm("4242424242424242", "http://evil.test")
        await app.state.fake.sender.aclose()

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == origin
    assert stranger.status_code == 400
    assert "access-control-allow-origin" not in stranger.headers
    assert paid.headers["access-control-allow-origin"] == origin
    assert paid.json()["status"] == "succeeded"
    assert declined.json()["last_payment_error"]["decline_code"] == "generic_decline"
    assert declined.json()["status"] == "requires_payment_method"
    assert poor.json()["last_payment_error"]["decline_code"] == "insufficient_funds"
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (402, "incorrect_number")
    assert "access-control-allow-origin" not in elsewhere.headers
