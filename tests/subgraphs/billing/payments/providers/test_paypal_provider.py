"""The PayPal adapter over the real ``paypal-server-sdk``, against the local PayPal fake."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import orjson
import pytest

from subgraphs.billing.payments.providers.base import (
    CreatedPayment,
    EventKind,
    ProviderError,
    WebhookRejected,
)
from subgraphs.billing.payments.providers.paypal_provider import PayPalProvider
from tests.subgraphs.billing.payments.conftest import (
    PAYPAL_CLIENT_ID,
    PAYPAL_CLIENT_SECRET,
    PAYPAL_WEBHOOK_ID,
    Fake,
)

_made: list[PayPalProvider] = []


@pytest.fixture(autouse=True)
async def _close_providers() -> AsyncIterator[None]:
    yield
    while _made:
        await _made.pop().aclose()


def provider(
    fake: Fake,
    *,
    secret: str = PAYPAL_CLIENT_SECRET,
    webhook_id: str = PAYPAL_WEBHOOK_ID,
    back: tuple[str, str] | None = None,
) -> PayPalProvider:
    made = PayPalProvider(
        client_id=PAYPAL_CLIENT_ID,
        client_secret=secret,
        webhook_id=webhook_id,
        api_base=fake.url,
        timeout=5,
        return_url=back[0] if back else None,
        cancel_url=back[1] if back else None,
    )
    _made.append(made)
    return made


async def open_order(
    paypal: PayPalProvider, amount: int = 1999, key: str | None = None, currency: str = "USD"
) -> CreatedPayment:
    return await paypal.create_payment(
        payment_id="pay-7",
        invoice_id="inv-7",
        amount_minor=amount,
        currency=currency,
        idempotency_key=key or str(uuid.uuid4()),
        description="INV-2026-000007",
    )


async def approve(created: CreatedPayment) -> None:
    """What the buyer does on PayPal's page: approve the order."""
    assert created.approval_url is not None
    async with httpx.AsyncClient() as client:
        (await client.post(created.approval_url)).raise_for_status()


async def test_an_order_is_created_once_per_request_id(paypal_fake: Fake) -> None:
    paypal = provider(paypal_fake)
    first = await open_order(paypal, key="req-A")
    again = await open_order(paypal, key="req-A")
    other = await open_order(paypal, key="req-B")

    assert first.status == "CREATED"
    assert first.approval_url == f"{paypal_fake.url}/checkoutnow?token={first.reference}"
    assert again == first
    assert other.reference != first.reference


async def test_wrong_client_credentials_are_a_provider_error(paypal_fake: Fake) -> None:
    with pytest.raises(ProviderError, match="401"):
        await open_order(provider(paypal_fake, secret="not-the-secret"))


async def test_an_order_is_captured_only_after_the_buyer_approved_it(paypal_fake: Fake) -> None:
    paypal = provider(paypal_fake)
    created = await open_order(paypal, amount=12_345)
    with pytest.raises(ProviderError, match="422"):
        await paypal.capture(reference=created.reference, idempotency_key="cap-0")

    await approve(created)
    captured = await paypal.capture(reference=created.reference, idempotency_key="cap-1")
    retried = await paypal.capture(reference=created.reference, idempotency_key="cap-1")

    assert captured == retried
    assert (captured.status, captured.amount_minor, captured.currency) == (
        "COMPLETED",
        12_345,
        "USD",
    )
    with pytest.raises(ProviderError, match="422"):  # a second capture, not a retry
        await paypal.capture(reference=created.reference, idempotency_key="cap-2")


async def test_the_buyer_is_sent_back_to_the_apps_return_or_cancel_page(
    paypal_fake: Fake,
) -> None:
    """PayPal's buyer page: "Pay now" returns to return_url with the order and payer, "Cancel" to
    cancel_url with the order only (and leaves it uncapturable)."""
    back = ("http://app.test/app/paypal/return", "http://app.test/app/paypal/cancel?from=paypal")
    paypal = provider(paypal_fake, back=back)
    paid, dropped = await open_order(paypal, amount=700), await open_order(paypal, amount=800)
    assert paid.approval_url is not None
    assert dropped.approval_url is not None
    async with httpx.AsyncClient() as client:
        page = await client.get(paid.approval_url)
        approved = await client.post(paid.approval_url, data={"decision": "approve"})
        cancelled = await client.post(dropped.approval_url, data={"decision": "cancel"})

    assert page.status_code == 200
    assert 'lang="en"' in page.text
    assert "7.00 USD" in page.text
    assert approved.status_code == 303
    location = httpx.URL(approved.headers["location"])
    assert str(location.copy_with(query=None)) == back[0]
    assert location.params["token"] == paid.reference
    assert location.params["PayerID"]
    assert cancelled.status_code == 303
    assert cancelled.headers["location"] == f"{back[1]}&token={dropped.reference}"
    # without a cancel URL the page itself says nothing was paid
    plain = await open_order(provider(paypal_fake))
    assert plain.approval_url is not None
    async with httpx.AsyncClient() as client:
        stayed = await client.post(plain.approval_url, data={"decision": "cancel"})
    assert (stayed.status_code, "nothing was paid" in stayed.text) == (200, True)
    captured = await paypal.capture(reference=paid.reference, idempotency_key="cap-back")
    assert captured.status == "COMPLETED"
    with pytest.raises(ProviderError, match="422"):
        await paypal.capture(reference=dropped.reference, idempotency_key="cap-dropped")


async def test_the_capture_webhook_verifies_through_paypal(paypal_fake: Fake) -> None:
    paypal = provider(paypal_fake)
    created = await open_order(paypal, amount=500, currency="JPY")
    await approve(created)
    captured = await paypal.capture(reference=created.reference, idempotency_key="cap")

    [webhook] = await paypal_fake.receiver.wait_for(1)
    assert webhook.headers["paypal-auth-algo"] == "SHA256withRSA"
    event = await paypal.parse_webhook(body=webhook.body, headers=webhook.headers)

    assert event is not None
    assert event.kind is EventKind.SUCCEEDED
    assert event.event_id.startswith("WH-")
    assert (event.amount_minor, event.currency) == (500, "JPY")
    assert event.payment_reference == created.reference
    assert event.capture_reference == captured.capture_reference
    assert (event.invoice_reference, event.payment_id) == ("inv-7", "pay-7")


async def test_refunds_report_the_total_refunded(paypal_fake: Fake) -> None:
    paypal = provider(paypal_fake)
    created = await open_order(paypal, amount=1000)
    await approve(created)
    captured = await paypal.capture(reference=created.reference, idempotency_key="cap")
    capture = captured.capture_reference
    await paypal.refund(reference=capture, amount_minor=250, currency="USD", idempotency_key="r1")
    await paypal.refund(reference=capture, amount_minor=None, currency="USD", idempotency_key="r2")
    with pytest.raises(ProviderError, match="422"):
        await paypal.refund(reference=capture, amount_minor=1, currency="USD", idempotency_key="r3")

    hooks = await paypal_fake.receiver.wait_for(3)
    events = [await paypal.parse_webhook(body=h.body, headers=h.headers) for h in hooks]
    refunds = [event for event in events if event and event.kind is EventKind.REFUNDED]
    assert sorted(event.amount_minor for event in refunds) == [250, 1000]
    assert {event.capture_reference for event in refunds} == {capture}
    assert {event.invoice_reference for event in refunds} == {"inv-7"}


async def a_genuine_webhook(fake: Fake) -> tuple[bytes, dict[str, str]]:
    paypal = provider(fake)
    created = await open_order(paypal)
    await approve(created)
    await paypal.capture(reference=created.reference, idempotency_key="cap")
    [webhook] = await fake.receiver.wait_for(1)
    return webhook.body, webhook.headers


def stale(headers: dict[str, str]) -> dict[str, str]:
    sent = datetime.now(UTC) - timedelta(seconds=301)
    return {**headers, "paypal-transmission-time": sent.strftime("%Y-%m-%dT%H:%M:%SZ")}


def recent_but_not_signed(headers: dict[str, str]) -> dict[str, str]:
    sent = datetime.now(UTC) - timedelta(seconds=5)
    return {**headers, "paypal-transmission-time": sent.strftime("%Y-%m-%dT%H:%M:%SZ")}


def more_money(body: bytes) -> bytes:
    event = orjson.loads(body)
    event["resource"]["amount"]["value"] = "1.00"
    return orjson.dumps(event)


@pytest.mark.parametrize(
    ("change_body", "change_headers"),
    [
        pytest.param(more_money, dict, id="tampered-amount"),
        pytest.param(lambda body: body, stale, id="stale"),
        pytest.param(lambda body: body, recent_but_not_signed, id="re-timed"),
        pytest.param(
            lambda body: body,
            lambda h: {k: v for k, v in h.items() if k != "paypal-transmission-sig"},
            id="unsigned",
        ),
        pytest.param(
            lambda body: body,
            lambda h: {**h, "paypal-transmission-sig": "AAAA"},
            id="forged-signature",
        ),
        pytest.param(lambda _: b"[]", lambda h: h, id="not-an-event"),
    ],
)
async def test_a_webhook_that_does_not_check_out_is_rejected(
    paypal_fake: Fake,
    change_body: Callable[[bytes], bytes],
    change_headers: Callable[[dict[str, str]], dict[str, str]],
) -> None:
    body, headers = await a_genuine_webhook(paypal_fake)
    with pytest.raises(WebhookRejected):
        await provider(paypal_fake).parse_webhook(
            body=change_body(body), headers=change_headers(headers)
        )


async def test_a_webhook_for_another_webhook_id_is_rejected(paypal_fake: Fake) -> None:
    body, headers = await a_genuine_webhook(paypal_fake)
    with pytest.raises(WebhookRejected):
        await provider(paypal_fake, webhook_id="WH-OTHER").parse_webhook(body=body, headers=headers)
