"""PayPal over its official SDK (``paypal-server-sdk``): Orders v2 create and capture, refunds,
and webhooks checked by PayPal's verify-webhook-signature call.

PayPal REST API reference: Orders v2 (``PayPal-Request-Id`` idempotency), Payments v2 refunds,
Notifications v1 ``verify-webhook-signature``. The SDK is synchronous (requests): its calls run
in a worker thread so the event loop never waits on the network.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

import httpx
import orjson
import requests
from apimatic_core.exceptions.auth_validation_exception import AuthValidationException
from paypalserversdk.configuration import Configuration, Environment, Server
from paypalserversdk.exceptions.api_exception import ApiException
from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials
from paypalserversdk.models.amount_with_breakdown import AmountWithBreakdown
from paypalserversdk.models.checkout_payment_intent import CheckoutPaymentIntent
from paypalserversdk.models.money import Money
from paypalserversdk.models.order_request import OrderRequest
from paypalserversdk.models.payment_source import PaymentSource
from paypalserversdk.models.paypal_wallet import PaypalWallet
from paypalserversdk.models.paypal_wallet_experience_context import (
    PaypalWalletExperienceContext,
)
from paypalserversdk.models.purchase_unit_request import PurchaseUnitRequest
from paypalserversdk.models.refund_request import RefundRequest
from paypalserversdk.paypal_serversdk_client import PaypalServersdkClient

from subgraphs.billing.money import from_minor, to_minor
from subgraphs.billing.payments.providers.base import (
    CapturedPayment,
    CreatedPayment,
    EventKind,
    ProviderError,
    ProviderEvent,
    WebhookRejected,
)
from subgraphs.common.errors import DomainError

__all__ = ["PayPalProvider"]

T = TypeVar("T")

_KINDS = {
    "PAYMENT.CAPTURE.COMPLETED": EventKind.SUCCEEDED,
    "PAYMENT.CAPTURE.DENIED": EventKind.FAILED,
    "PAYMENT.CAPTURE.DECLINED": EventKind.FAILED,
    "PAYMENT.CAPTURE.REFUNDED": EventKind.REFUNDED,
}
_TRANSMISSION_HEADERS = {
    "transmission_id": "paypal-transmission-id",
    "transmission_time": "paypal-transmission-time",
    "transmission_sig": "paypal-transmission-sig",
    "cert_url": "paypal-cert-url",
    "auth_algo": "paypal-auth-algo",
}


class _Configuration(Configuration):  # type: ignore[misc]  # the SDK is untyped
    """The SDK's configuration, optionally aimed at another base URL (a local fake)."""

    def __init__(self, base_uri: str | None, **options: Any) -> None:
        self._base_uri = base_uri
        super().__init__(**options)

    def get_base_uri(self, server: Server = Server.DEFAULT) -> str:
        if self._base_uri:
            return self._base_uri
        uri: str = super().get_base_uri(server)
        return uri


class PayPalProvider:
    """PayPal for one REST app: ``api_base`` None is PayPal (sandbox or live), else a fake."""

    name: ClassVar[str] = "paypal"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        webhook_id: str | None,
        environment: str = "sandbox",
        api_base: str | None = None,
        tolerance: int = 300,
        timeout: float = 15.0,
        return_url: str | None = None,
        cancel_url: str | None = None,
    ) -> None:
        sdk_environment = (
            Environment.PRODUCTION if environment == "production" else Environment.SANDBOX
        )
        config = _Configuration(
            api_base.rstrip("/") if api_base else None,
            timeout=timeout,
            environment=sdk_environment,
            client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
                o_auth_client_id=client_id, o_auth_client_secret=client_secret
            ),
        )
        self._client = PaypalServersdkClient(config=config)
        self._base = config.get_base_uri()
        self._webhook_id = webhook_id
        self._tolerance = tolerance
        self._return = (return_url, cancel_url)  # where PayPal sends the buyer back
        self._token: tuple[str, float] | None = None  # for the verification call: (token, expiry)
        self._http = httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        """Close the verification calls' connection pool (the SDK's own is per call)."""
        await self._http.aclose()

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
        unit = PurchaseUnitRequest(
            amount=AmountWithBreakdown(
                currency_code=currency.upper(),
                value=str(from_minor(amount_minor, currency.upper())),
            ),
            reference_id=payment_id,
            custom_id=invoice_id,
            invoice_id=payment_id,
            description=description[:127],
        )
        body = OrderRequest(intent=CheckoutPaymentIntent.CAPTURE, purchase_units=[unit])
        return_url, cancel_url = self._return
        if return_url and cancel_url:
            context = PaypalWalletExperienceContext(
                return_url=return_url,
                cancel_url=cancel_url,
                user_action="PAY_NOW",
                shipping_preference="NO_SHIPPING",
            )
            body.payment_source = PaymentSource(paypal=PaypalWallet(experience_context=context))
        options = {"body": body, "paypal_request_id": idempotency_key,
                   "prefer": "return=representation"}  # fmt: skip
        order = await self._call(lambda: self._client.orders.create_order(options))
        approval = next(
            (link.href for link in order.links or () if link.rel in {"approve", "payer-action"}),
            None,
        )
        return CreatedPayment(order.id, str(order.status), approval_url=approval)

    async def capture(self, *, reference: str, idempotency_key: str) -> CapturedPayment:
        options = {"id": reference, "paypal_request_id": idempotency_key,
                   "prefer": "return=representation"}  # fmt: skip
        order = await self._call(lambda: self._client.orders.capture_order(options))
        try:
            captured = order.purchase_units[0].payments.captures[0]
            currency = str(captured.amount.currency_code)
            amount = to_minor(str(captured.amount.value), currency)
        except (AttributeError, IndexError, TypeError, ValueError, DomainError) as exc:
            raise ProviderError("PayPal answered the capture without a capture") from exc
        return CapturedPayment(order.id, captured.id, str(captured.status), amount, currency)

    async def refund(
        self, *, reference: str, amount_minor: int | None, currency: str, idempotency_key: str
    ) -> str:
        """``reference`` is the capture's id: PayPal refunds captures, not orders."""
        body = RefundRequest()
        if amount_minor is not None:
            body = RefundRequest(
                amount=Money(
                    currency_code=currency.upper(),
                    value=str(from_minor(amount_minor, currency.upper())),
                )
            )
        options = {"capture_id": reference, "paypal_request_id": idempotency_key,
                   "prefer": "return=representation", "body": body}  # fmt: skip
        refund = await self._call(lambda: self._client.payments.refund_captured_payment(options))
        refund_id: str = refund.id
        return refund_id

    async def parse_webhook(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> ProviderEvent | None:
        if not self._webhook_id:
            raise WebhookRejected("no PayPal webhook id is configured")
        lowered = {key.lower(): value for key, value in headers.items()}
        transmission = {name: lowered.get(header) for name, header in _TRANSMISSION_HEADERS.items()}
        missing = [name for name, value in transmission.items() if not value]
        if missing:
            raise WebhookRejected(f"PayPal webhook without {', '.join(missing)}")
        self._check_age(str(transmission["transmission_time"]))
        try:
            event = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise WebhookRejected("a PayPal webhook that is not JSON") from exc
        if not isinstance(event, dict):
            raise WebhookRejected("a PayPal webhook that is not an event")
        await self._verify(transmission, event)
        kind = _KINDS.get(str(event.get("event_type")))
        if kind is None:
            return None
        return _reduce(event, kind)

    def _check_age(self, transmission_time: str) -> None:
        try:
            sent = datetime.fromisoformat(transmission_time)
        except ValueError as exc:
            raise WebhookRejected("a PayPal webhook with an unreadable transmission time") from exc
        if sent.tzinfo is None:
            sent = sent.replace(tzinfo=UTC)
        if abs(datetime.now(UTC).timestamp() - sent.timestamp()) > self._tolerance:
            raise WebhookRejected("a PayPal webhook sent too long ago (a replay?)")

    async def _verify(self, transmission: Mapping[str, str | None], event: dict[str, Any]) -> None:
        """PayPal's own verdict on the signature: POST /v1/notifications/verify-webhook-signature."""
        payload = orjson.dumps(
            {**transmission, "webhook_id": self._webhook_id, "webhook_event": event}
        )
        for attempt in (1, 2):
            token = await self._access_token(renew=attempt == 2)
            try:
                response = await self._http.post(
                    f"{self._base}/v1/notifications/verify-webhook-signature",
                    content=payload,
                    headers={
                        "authorization": f"Bearer {token}",
                        "content-type": "application/json",
                    },
                )
            except httpx.HTTPError as exc:
                raise ProviderError("PayPal could not be reached to verify a webhook",
                                    retryable=True) from exc  # fmt: skip
            if response.status_code == 401 and attempt == 1:
                continue
            if not response.is_success:
                raise ProviderError(
                    f"PayPal answered {response.status_code} to a webhook verification",
                    retryable=response.status_code >= 500,
                )
            if response.json().get("verification_status") != "SUCCESS":
                raise WebhookRejected("PayPal did not verify the webhook's signature")
            return

    async def _access_token(self, *, renew: bool = False) -> str:
        if self._token is not None and not renew and self._token[1] > time.time():
            return self._token[0]
        token = await self._call(self._client.oauth_2.fetch_token)
        lifetime = float(getattr(token, "expires_in", 0) or 0)
        self._token = (str(token.access_token), time.time() + max(lifetime - 60, 0))
        return self._token[0]

    @staticmethod
    async def _call(action: Callable[[], Any]) -> Any:
        try:
            response = await asyncio.to_thread(action)
        except ApiException as exc:
            status = int(getattr(exc, "response_code", 0) or 0)
            message = (
                f"PayPal refused the request ({status}): {getattr(exc, 'message', None) or exc}"
            )
            raise ProviderError.from_status(message, status or 500) from exc
        except AuthValidationException as exc:
            raise ProviderError("PayPal refused the client credentials (401)") from exc
        except requests.RequestException as exc:
            raise ProviderError("PayPal could not be reached", retryable=True) from exc
        return getattr(response, "body", response)


def _reduce(event: dict[str, Any], kind: EventKind) -> ProviderEvent:
    """The provider-neutral event of a capture (completed, denied) or refund resource."""
    try:
        resource = event["resource"]
        currency = str(resource["amount"]["currency_code"]).upper()
        amount = to_minor(str(resource["amount"]["value"]), currency)
        if kind is EventKind.REFUNDED:
            total = (resource.get("seller_payable_breakdown") or {}).get("total_refunded_amount")
            amount = to_minor(str(total["value"]), currency) if total else amount
            up = next(link["href"] for link in resource["links"] if link.get("rel") == "up")
            capture, order = up.rstrip("/").rsplit("/", 1)[1], None
        else:
            capture = resource["id"]
            order = ((resource.get("supplementary_data") or {}).get("related_ids") or {}).get(
                "order_id"
            )
        return ProviderEvent(
            provider=PayPalProvider.name,
            event_id=str(event["id"]),
            kind=kind,
            amount_minor=amount,
            currency=currency,
            payment_reference=order,
            capture_reference=str(capture),
            invoice_reference=resource.get("custom_id"),
            payment_id=resource.get("invoice_id"),
            failure_message=event.get("summary") if kind is EventKind.FAILED else None,
        )
    except (KeyError, TypeError, ValueError, StopIteration, DomainError) as exc:
        raise WebhookRejected(f"a PayPal {event.get('event_type')} event without {exc}") from exc
