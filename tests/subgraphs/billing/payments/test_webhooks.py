"""``/webhooks/stripe`` and ``/webhooks/paypal`` on the billing app, and paying through its GraphQL:
genuine deliveries are answered 200 (again: a duplicate), anything not verified 400, nothing
configured 503, oversized bodies 413."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
from prometheus_client import REGISTRY

from subgraphs.billing.app import create_app
from subgraphs.billing.payments.fakes.stripe_fake import stripe_signature
from subgraphs.billing.payments.webhooks import MAX_WEBHOOK_BYTES
from subgraphs.common.context import Caller, Role
from tests.subgraphs.billing.conftest import BillingApi, billing_settings
from tests.subgraphs.billing.payments.conftest import (
    STRIPE_WEBHOOK_SECRET,
    Fake,
    provider_settings,
)
from tests.subgraphs.billing.payments.test_service import issued_invoice
from tests.support.callers import make_caller
from tests.support.tokens import JWKS


@pytest.fixture
async def paying_api(
    billing_url: str, stripe_fake: Fake, paypal_fake: Fake
) -> AsyncIterator[BillingApi]:
    settings = billing_settings(billing_url, **provider_settings(stripe_fake, paypal_fake))
    app = create_app(settings, jwks=JWKS)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://billing") as http:
            yield BillingApi(http, app.state.service.database)


PAY = """
mutation ($i: ID!) { payInvoiceWithStripe(invoiceId: $i) { clientSecret payment { id status } } }
"""


async def test_a_patient_pays_through_graphql_and_the_webhook_endpoint(
    paying_api: BillingApi, stripe_fake: Fake
) -> None:
    patient = make_caller(Role.PATIENT)
    invoice = await issued_invoice(paying_api.database, patient)
    answer = await paying_api.execute(PAY, {"i": str(invoice)}, caller=patient)
    started = answer["data"]["payInvoiceWithStripe"]
    assert started["payment"]["status"] == "PENDING"
    intent = started["clientSecret"].split("_secret_")[0]
    async with httpx.AsyncClient() as client:
        await client.post(
            f"{stripe_fake.url}/v1/payment_intents/{intent}/confirm",
            data={"client_secret": started["clientSecret"]},
        )
    [hook] = await stripe_fake.receiver.wait_for(1)

    first = await paying_api.http.post("/webhooks/stripe", content=hook.body, headers=hook.headers)
    again = await paying_api.http.post("/webhooks/stripe", content=hook.body, headers=hook.headers)
    forged = await paying_api.http.post(
        "/webhooks/stripe",
        content=hook.body,
        headers={"stripe-signature": stripe_signature(hook.body, "whsec_not_ours")},
    )

    assert first.json() | {"eventId": None} == {
        "received": True, "eventId": None, "outcome": "APPLIED", "duplicate": False,
    }  # fmt: skip
    assert again.json()["duplicate"] is True
    assert forged.status_code == 400
    query = "query ($i: ID!) { invoice(id: $i) { status } }"
    paid = await paying_api.execute(query, {"i": str(invoice)}, caller=patient)
    assert paid["data"]["invoice"]["status"] == "PAID"


def _webhooks(provider: str, outcome: str) -> float:
    sample = REGISTRY.get_sample_value(
        "healthgraph_billing_payment_webhooks_total", {"provider": provider, "outcome": outcome}
    )
    return sample or 0.0


async def test_an_unverifiable_or_oversized_webhook_is_refused(paying_api: BillingApi) -> None:
    rejected = _webhooks("stripe", "rejected"), _webhooks("paypal", "rejected")
    body = orjson.dumps({"id": "evt_1", "object": "event", "type": "payment_intent.succeeded"})
    unsigned = await paying_api.http.post("/webhooks/stripe", content=body)
    paypal = await paying_api.http.post("/webhooks/paypal", content=body)
    huge = await paying_api.http.post("/webhooks/stripe", content=b" " * (MAX_WEBHOOK_BYTES + 1))
    assert unsigned.status_code == 400
    assert paypal.status_code == 400  # no transmission headers
    assert huge.status_code == 413
    # each answer is counted once, by provider and outcome (Prometheus /metrics)
    assert (_webhooks("stripe", "rejected"), _webhooks("paypal", "rejected")) == (
        rejected[0] + 2,
        rejected[1] + 1,
    )


async def test_an_event_for_no_payment_of_ours_is_acknowledged(paying_api: BillingApi) -> None:
    intent = {"id": "pi_unknown", "object": "payment_intent", "amount": 100, "currency": "eur"}
    body = orjson.dumps(
        {
            "id": f"evt_{uuid.uuid4().hex}",
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {"object": intent},
        }
    )
    signature = stripe_signature(body, STRIPE_WEBHOOK_SECRET)
    answer = await paying_api.http.post(
        "/webhooks/stripe", content=body, headers={"stripe-signature": signature}
    )
    assert answer.json()["outcome"] == "UNKNOWN_PAYMENT"


async def test_without_keys_payments_are_unavailable(
    billing_api: BillingApi, staff: Caller
) -> None:
    unavailable = _webhooks("stripe", "unavailable")
    webhook = await billing_api.http.post("/webhooks/stripe", content=b"{}")
    answer = await billing_api.execute(PAY, {"i": str(uuid.uuid4())}, caller=staff)
    assert webhook.status_code == 503
    assert _webhooks("stripe", "unavailable") == unavailable + 1
    assert answer["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


async def test_a_zero_or_excessive_amount_is_bad_input(paying_api: BillingApi) -> None:
    patient = make_caller(Role.PATIENT)
    invoice = await issued_invoice(paying_api.database, patient)
    query = "mutation ($i: ID!, $a: Decimal) { payInvoiceWithPayPal(invoiceId: $i, amount: $a) { approvalUrl } }"
    for amount in ("0", "80.01", "1.001"):
        answer = await paying_api.execute(query, {"i": str(invoice), "a": amount}, caller=patient)
        assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", answer
