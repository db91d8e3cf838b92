"""Through the router, against ``healthgraph up``'s local Stripe and PayPal fakes: a patient pays
their invoice by Stripe and by PayPal, and it turns PAID only after the provider's verified
webhook; a redelivered webhook changes nothing; forged, stale and wrong-money webhooks are
refused; a refund moves the balance back; another patient can neither pay nor read it."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import orjson
import pytest

from subgraphs.billing.payments.fakes.stripe_fake import stripe_signature
from tests.support.stack import LOGIN_LINE, DemoStack, graphql

pytestmark = pytest.mark.slow  # through the whole demo stack, started once per session

OPEN_ACCOUNT = """
mutation ($p: ID!, $u: ID!) { openBillingAccount(patientId: $p, patientUserId: $u) { id } }
"""
NEW_INVOICE = """
mutation ($p: ID!) { createInvoice(patientId: $p) { id } }
"""
ADD_LINE = """
mutation ($i: ID!) {
  addInvoiceLine(invoiceId: $i, line: {serviceCode: "CONSULT", description: "Consultation",
                                       unitPrice: "80.00"}) { id }
}
"""
ISSUE = "mutation ($i: ID!) { issueInvoice(id: $i) { number status } }"
INVOICE = (
    "query ($i: ID!) { invoice(id: $i) { status amountPaid { amount } amountDue { amount } } }"
)
PAY_STRIPE = """
mutation ($i: ID!) {
  payInvoiceWithStripe(invoiceId: $i) { clientSecret payment { id status providerReference } }
}
"""
PAY_PAYPAL = """
mutation ($i: ID!, $a: Decimal) {
  payInvoiceWithPayPal(invoiceId: $i, amount: $a) { approvalUrl payment { id status } }
}
"""
CAPTURE = "mutation ($p: ID!) { capturePayPalPayment(paymentId: $p) { status } }"
PAYMENT = "query ($p: ID!) { payment(id: $p) { status refunded { amount } invoice { status } } }"
REFUND = 'mutation ($p: ID!) { refundPayment(paymentId: $p, amount: "20.00") { status } }'
PAYMENT_ENTITIES = """
query ($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { id status } } }
"""


def ok(answer: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data


def user_id(stack: DemoStack, token: str) -> str:
    return str(ok(graphql(stack.url(), "{ me { id } }", token))["me"]["id"])


def issued_invoice(stack: DemoStack, patient_token: str) -> str:
    """An issued 80.00 invoice on a new billing account of the patient signed in as ``patient_token``."""
    staff = stack.sign_in("STAFF")
    patient_id = str(uuid.uuid4())
    ok(graphql(stack.url(), OPEN_ACCOUNT, staff, p=patient_id, u=user_id(stack, patient_token)))
    invoice = ok(graphql(stack.url(), NEW_INVOICE, staff, p=patient_id))["createInvoice"]["id"]
    ok(graphql(stack.url(), ADD_LINE, staff, i=invoice))
    assert ok(graphql(stack.url(), ISSUE, staff, i=invoice))["issueInvoice"]["status"] == "ISSUED"
    return str(invoice)


def invoice_status(stack: DemoStack, token: str, invoice: str) -> dict[str, Any]:
    found: dict[str, Any] = ok(graphql(stack.url(), INVOICE, token, i=invoice))["invoice"]
    return found


def wait_for(stack: DemoStack, token: str, invoice: str, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while True:
        found = invoice_status(stack, token, invoice)
        if found["status"] == status or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def fake(stack: DemoStack, name: str) -> str:
    return f"http://127.0.0.1:{stack.port(name)}"


def second_patient(stack: DemoStack) -> str:
    patients = [m["email"] for m in LOGIN_LINE.finditer(stack.output) if m["role"] == "PATIENT"]
    assert len(patients) > 1, stack.output
    return stack.sign_in_as(patients[1])


def test_a_patient_pays_by_stripe_and_the_webhook_settles_it_once(demo_stack: DemoStack) -> None:
    patient = demo_stack.sign_in("PATIENT")
    invoice = issued_invoice(demo_stack, patient)
    started = ok(graphql(demo_stack.url(), PAY_STRIPE, patient, i=invoice))["payInvoiceWithStripe"]
    intent = started["payment"]["providerReference"]
    assert started["clientSecret"].startswith(f"{intent}_secret_")
    assert invoice_status(demo_stack, patient, invoice)["status"] == "ISSUED"

    # the payer's browser (Stripe.js) confirms with a test card; Stripe sends the signed webhook
    stripe = fake(demo_stack, "stripe_fake")
    confirmed = httpx.post(
        f"{stripe}/v1/payment_intents/{intent}/confirm",
        data={"client_secret": started["clientSecret"], "payment_method": "pm_card_visa"},
    )
    assert confirmed.json()["status"] == "succeeded"
    paid = wait_for(demo_stack, patient, invoice, "PAID")
    assert (paid["status"], paid["amountPaid"]["amount"]) == ("PAID", "80.00")

    # Stripe delivers the same event again: nothing changes
    [event] = [e for e in httpx.get(f"{stripe}/_fake/events").json()
               if e["type"] == "payment_intent.succeeded" and e["delivered"]][-1:]  # fmt: skip
    assert httpx.post(f"{stripe}/_fake/events/{event['id']}/resend").is_success
    deadline = time.monotonic() + 10
    while httpx.get(f"{stripe}/_fake/events").json()[-1]["attempts"] < 2:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert invoice_status(demo_stack, patient, invoice)["amountPaid"]["amount"] == "80.00"

    # the billing desk refunds 20.00: once Stripe's charge.refunded arrives, 20.00 is due again
    payment = started["payment"]["id"]
    ok(graphql(demo_stack.url(), REFUND, demo_stack.sign_in("STAFF"), p=payment))
    refunded = wait_for(demo_stack, patient, invoice, "PARTIALLY_PAID")
    assert refunded["amountDue"]["amount"] == "20.00"
    mine = ok(graphql(demo_stack.url(), PAYMENT, patient, p=payment))["payment"]
    assert (mine["status"], mine["refunded"]["amount"]) == ("SUCCEEDED", "20.00")


def test_a_patient_pays_by_paypal_after_approving_and_capturing(demo_stack: DemoStack) -> None:
    patient = demo_stack.sign_in("PATIENT")
    invoice = issued_invoice(demo_stack, patient)
    started = ok(graphql(demo_stack.url(), PAY_PAYPAL, patient, i=invoice, a="30.00"))
    order = started["payInvoiceWithPayPal"]
    assert order["approvalUrl"].startswith(fake(demo_stack, "paypal_fake"))
    assert httpx.post(order["approvalUrl"]).is_success  # the buyer approves on "paypal.com"
    payment = order["payment"]["id"]
    assert ok(graphql(demo_stack.url(), CAPTURE, patient, p=payment))  # captured, not yet settled

    partly = wait_for(demo_stack, patient, invoice, "PARTIALLY_PAID")
    assert partly["amountDue"]["amount"] == "50.00"
    rest = ok(graphql(demo_stack.url(), PAY_PAYPAL, patient, i=invoice, a=None))
    assert httpx.post(rest["payInvoiceWithPayPal"]["approvalUrl"]).is_success
    ok(graphql(demo_stack.url(), CAPTURE, patient, p=rest["payInvoiceWithPayPal"]["payment"]["id"]))
    assert wait_for(demo_stack, patient, invoice, "PAID")["status"] == "PAID"


def test_forged_stale_and_wrong_money_webhooks_change_nothing(demo_stack: DemoStack) -> None:
    patient = demo_stack.sign_in("PATIENT")
    invoice = issued_invoice(demo_stack, patient)
    started = ok(graphql(demo_stack.url(), PAY_STRIPE, patient, i=invoice))["payInvoiceWithStripe"]
    intent = {"id": started["payment"]["providerReference"], "object": "payment_intent",
              "amount": 8000, "currency": "gbp", "metadata": {"invoice_id": invoice}}  # fmt: skip
    secret = (demo_stack.data_dir / "keys" / "stripe-fake-webhook.secret").read_text()
    webhook = f"http://127.0.0.1:{demo_stack.port('billing')}/webhooks/stripe"

    def post(obj: dict[str, Any], *, key: str = secret, age: int = 0) -> httpx.Response:
        body = orjson.dumps({"id": f"evt_{uuid.uuid4().hex}", "object": "event",
                             "type": "payment_intent.succeeded", "data": {"object": obj}})  # fmt: skip
        signature = stripe_signature(body, key, int(time.time()) - age)
        return httpx.post(webhook, content=body, headers={"stripe-signature": signature})

    assert post(intent, key="whsec_forged").status_code == 400
    assert post(intent, age=301).status_code == 400  # replayed after the 300 s tolerance
    for wrong in ({**intent, "amount": 1}, {**intent, "currency": "usd"}):
        answer = post(wrong)
        assert answer.json()["outcome"] == "REJECTED", answer.text
    found = invoice_status(demo_stack, patient, invoice)
    assert (found["status"], found["amountPaid"]["amount"]) == ("ISSUED", "0.00")


def test_another_patient_can_neither_pay_nor_read_it(demo_stack: DemoStack) -> None:
    owner = demo_stack.sign_in("PATIENT")
    invoice = issued_invoice(demo_stack, owner)
    started = ok(graphql(demo_stack.url(), PAY_STRIPE, owner, i=invoice))["payInvoiceWithStripe"]
    intruder = second_patient(demo_stack)

    for mutation in (PAY_STRIPE, PAY_PAYPAL):
        answer = graphql(demo_stack.url(), mutation, intruder, i=invoice)
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["FORBIDDEN"], answer
    payment = started["payment"]["id"]
    read = graphql(demo_stack.url(), PAYMENT, intruder, p=payment)
    assert read["data"]["payment"] is None
    assert {e["extensions"]["code"] for e in read["errors"]} == {"FORBIDDEN"}
    entities = graphql(
        demo_stack.url("billing"), PAYMENT_ENTITIES, intruder,
        r=[{"__typename": "Payment", "id": payment}],
    )  # fmt: skip
    assert entities["data"]["_entities"] == [None]
    assert {e["extensions"]["code"] for e in entities["errors"]} == {"FORBIDDEN"}
