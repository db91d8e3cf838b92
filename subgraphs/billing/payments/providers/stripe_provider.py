"""Stripe over its official SDK: a PaymentIntent per payment, refunds, signed webhooks.

Stripe API reference: PaymentIntents (``Idempotency-Key``), Refunds, and webhook signatures
verified by ``stripe.Webhook.construct_event`` (HMAC-SHA256, 300 s tolerance by default).
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, ClassVar, TypeVar

import stripe
from stripe.params import RefundCreateParams

from subgraphs.billing.payments.providers.base import (
    CapturedPayment,
    CreatedPayment,
    EventKind,
    ProviderError,
    ProviderEvent,
    WebhookRejected,
)

__all__ = ["StripeProvider"]

T = TypeVar("T")

_KINDS = {
    "payment_intent.succeeded": EventKind.SUCCEEDED,
    "payment_intent.payment_failed": EventKind.FAILED,
    "charge.refunded": EventKind.REFUNDED,
}


class _HttpxClient(stripe.HTTPXClient):
    """The SDK's httpx transport, sending its form-encoded body as ``content=`` (httpx
    deprecates raw text passed as ``data=``)."""

    def _get_request_args_kwargs(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any
    ) -> list[Any]:
        args: list[Any] = super()._get_request_args_kwargs(method, url, headers, post_data)
        options = args[1]
        options["content"] = options.pop("data", None) or None
        return args


class StripeProvider:
    """Stripe for one account: ``api_base`` None is Stripe itself, else a local fake."""

    name: ClassVar[str] = "stripe"

    def __init__(
        self,
        *,
        secret_key: str,
        webhook_secret: str | None,
        api_base: str | None = None,
        tolerance: int = 300,
        timeout: float = 15.0,
    ) -> None:
        self._http = _HttpxClient(timeout=timeout)
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else {},
            http_client=self._http,
            max_network_retries=2,
        )
        self._webhook_secret = webhook_secret
        self._tolerance = tolerance

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.close_async()  # type: ignore[no-untyped-call]  # untyped in the SDK

    async def create_payment(
        self,
        *,
        payment_id: str,
        invoice_id: str,
        amount_minor: int,
        currency: str,
        idempotency_key: str,
        description: str,
    ) -> CreatedPayment:
        intent = await self._call(
            self._client.v1.payment_intents.create_async(
                {
                    "amount": amount_minor,
                    "currency": currency.lower(),
                    "description": description,
                    "metadata": {"invoice_id": invoice_id, "payment_id": payment_id},
                    "automatic_payment_methods": {"enabled": True},
                },
                {"idempotency_key": idempotency_key},
            )
        )
        return CreatedPayment(intent.id, intent.status, client_secret=intent.client_secret)

    async def capture(self, *, reference: str, idempotency_key: str) -> CapturedPayment:
        """Stripe captures on confirmation: this reads where the PaymentIntent stands."""
        del idempotency_key  # a read needs none
        intent = await self._call(self._client.v1.payment_intents.retrieve_async(reference))
        return CapturedPayment(
            intent.id,
            intent.latest_charge if isinstance(intent.latest_charge, str) else "",
            intent.status,
            intent.amount_received,
            intent.currency.upper(),
        )

    async def refund(
        self, *, reference: str, amount_minor: int | None, currency: str, idempotency_key: str
    ) -> str:
        del currency  # a PaymentIntent's refunds are in its own currency
        params: RefundCreateParams = {"payment_intent": reference}
        if amount_minor is not None:
            params["amount"] = amount_minor
        refund = await self._call(
            self._client.v1.refunds.create_async(params, {"idempotency_key": idempotency_key})
        )
        return refund.id

    async def parse_webhook(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> ProviderEvent | None:
        if not self._webhook_secret:
            raise WebhookRejected("no Stripe webhook secret is configured")
        signature = _header(headers, "stripe-signature")
        try:
            event = stripe.Webhook.construct_event(
                body, signature, self._webhook_secret, tolerance=self._tolerance
            )
        except stripe.SignatureVerificationError as exc:
            raise WebhookRejected(f"Stripe signature: {exc.user_message or exc}") from exc
        except ValueError as exc:  # not JSON, or not an event
            raise WebhookRejected(f"not a Stripe event: {exc}") from exc
        kind = _KINDS.get(event.type)
        if kind is None:
            return None
        return _reduce(event.id, kind, event.to_dict()["data"]["object"])

    @staticmethod
    async def _call(pending: Awaitable[T]) -> T:
        try:
            return await pending
        except stripe.StripeError as exc:
            status = exc.http_status or 0
            message = f"Stripe refused the request: {exc.user_message or exc.code or status}"
            raise ProviderError.from_status(message, status) from exc


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _reduce(event_id: str, kind: EventKind, obj: dict[str, Any]) -> ProviderEvent:
    """The provider-neutral event of a PaymentIntent or (for refunds) Charge snapshot."""
    try:
        metadata = obj.get("metadata") or {}
        if kind is EventKind.REFUNDED:  # a Charge
            reference, charge = obj["payment_intent"], obj["id"]
            amount = int(obj["amount_refunded"])
        else:  # a PaymentIntent
            reference, charge = obj["id"], obj.get("latest_charge")
            amount = int(obj["amount"])
        error = obj.get("last_payment_error") or {}
        return ProviderEvent(
            provider=StripeProvider.name,
            event_id=event_id,
            kind=kind,
            amount_minor=amount,
            currency=str(obj["currency"]).upper(),
            payment_reference=str(reference),
            capture_reference=charge if isinstance(charge, str) else None,
            invoice_reference=metadata.get("invoice_id"),
            payment_id=metadata.get("payment_id"),
            failure_message=error.get("message") if kind is EventKind.FAILED else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise WebhookRejected(f"a Stripe {kind.value.lower()} event without {exc}") from exc
