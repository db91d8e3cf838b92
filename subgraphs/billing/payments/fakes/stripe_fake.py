"""A local fake of the Stripe API (PaymentIntents, refunds) that sends signed webhooks.

Stripe API reference (PaymentIntents, Refunds, Events, webhook signatures): form-encoded
requests with ``Idempotency-Key``, JSON answers, and ``Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256
of "<t>.<body>">`` on every webhook. The payment step a buyer's browser would do (Stripe.js
confirming with a card) is ``POST /v1/payment_intents/{id}/confirm`` with a test payment method:
``pm_card_visa`` succeeds, ``pm_card_chargeDeclined`` fails, or Stripe's test card numbers in
``payment_method_data[card][number]`` (4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is
declined, 4000 0000 0000 9995 has insufficient funds). Like Stripe.js, the payer's side
authenticates that call with the PaymentIntent's ``client_secret`` instead of the secret key, from
the browser: the fake answers CORS for the origins in ``STRIPE_FAKE_ALLOWED_ORIGINS`` (the web app's),
as Stripe's API does for calls made with a publishable key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from subgraphs.billing.payments.fakes.idempotency import IdempotencyStore
from subgraphs.billing.payments.fakes.webhooks import WebhookSender

__all__ = ["StripeFakeSettings", "create_stripe_fake", "stripe_signature"]

API_VERSION = "2025-01-01.fake"
# Test payment methods that are declined, and why (Stripe's decline codes and messages).
DECLINES: dict[str, tuple[str, str]] = {
    "pm_card_chargeDeclined": ("generic_decline", "Your card was declined."),
    "pm_card_visa_chargeDeclined": ("generic_decline", "Your card was declined."),
    "pm_card_visa_chargeDeclinedInsufficientFunds": (
        "insufficient_funds",
        "Your card has insufficient funds.",
    ),
}
# Stripe's test card numbers and the test payment method each one stands for.
TEST_CARDS = {
    "4242424242424242": "pm_card_visa",
    "4000000000000002": "pm_card_chargeDeclined",
    "4000000000009995": "pm_card_visa_chargeDeclinedInsufficientFunds",
}
_BRACKETS = re.compile(r"\[([^\]]*)\]")


class StripeFakeSettings(BaseSettings):
    """``STRIPE_FAKE_*``: where it listens, the one API key it accepts, where webhooks go."""

    model_config = SettingsConfigDict(env_prefix="STRIPE_FAKE_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = 4021
    api_key: SecretStr = SecretStr("sk_test_healthgraph_fake")
    webhook_url: str | None = None
    webhook_secret: SecretStr = SecretStr("whsec_healthgraph_fake")
    webhook_attempts: int = 5
    # Browser origins allowed to call the payer's side (JSON list), e.g. the web app's.
    allowed_origins: list[str] = []


def stripe_signature(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header Stripe sends with ``payload``."""
    stamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{stamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def _form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (``metadata[invoice]=1``, ``types[0]=card``) as nested values."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        path = [head, *_BRACKETS.findall("[" + rest)] if rest else [head]
        node = result
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return {key: _lists(value) for key, value in result.items()}


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        if value and all(key.isdigit() for key in value):
            return [_lists(value[key]) for key in sorted(value, key=int)]
        return {key: _lists(item) for key, item in value.items()}
    return value


def _error(status: int, kind: str, message: str, code: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": kind, "message": message}
    if code:
        body["code"] = code
    return JSONResponse({"error": body}, status_code=status)


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


class _FakeStripe:
    """The fake's state and its handlers (one per endpoint)."""

    def __init__(self, settings: StripeFakeSettings) -> None:
        self.settings = settings
        self.intents: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.keys = IdempotencyStore(
            lambda: _error(
                400,
                "idempotency_error",
                "Keys for idempotent requests can only be used with the same parameters they "
                "were first used with.",
            )
        )
        secret = settings.webhook_secret.get_secret_value()
        self.sender = WebhookSender(
            settings.webhook_url,
            lambda body: {"Stripe-Signature": stripe_signature(body, secret)},
            attempts=settings.webhook_attempts,
        )

    def emit(self, kind: str, obj: dict[str, Any]) -> None:
        event_id = _new_id("evt")
        event = {
            "id": event_id,
            "object": "event",
            "api_version": API_VERSION,
            "created": int(time.time()),
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": kind,
        }
        self.sender.send(event_id, kind, orjson.dumps(event))

    async def authenticate(self, request: Request, call_next: Any) -> Response:
        # Confirming may also be authenticated by the intent's client secret (Stripe.js in the
        # payer's browser): the handler checks one or the other.
        confirming = request.method == "POST" and request.url.path.endswith("/confirm")
        if request.url.path.startswith("/v1/") and not confirming and not self._keyed(request):
            return _error(401, "invalid_request_error", "Invalid API Key provided.")
        response: Response = await call_next(request)
        return response

    def _keyed(self, request: Request) -> bool:
        """Does the request carry the secret API key?"""
        expected = f"Bearer {self.settings.api_key.get_secret_value()}"
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), expected.encode())

    async def _params(self, request: Request) -> dict[str, Any]:
        form = await request.form()
        return _form([(key, str(value)) for key, value in form.multi_items()])

    def _idempotent(
        self, request: Request, params: dict[str, Any], action: Callable[[], JSONResponse]
    ) -> Response:
        key = request.headers.get("idempotency-key")
        return self.keys.run(key, [request.url.path, params], action)

    async def create_intent(self, request: Request) -> Response:
        params = await self._params(request)
        return self._idempotent(request, params, lambda: self._create_intent(params))

    def _create_intent(self, params: dict[str, Any]) -> JSONResponse:
        amount, currency = str(params.get("amount", "")), str(params.get("currency", ""))
        if not amount.isdigit() or int(amount) < 1:
            return _error(
                400,
                "invalid_request_error",
                "amount must be a positive integer.",
                "parameter_invalid_integer",
            )
        if not re.fullmatch(r"[a-z]{3}", currency):
            return _error(400, "invalid_request_error", "Invalid currency.", "parameter_invalid")
        intent_id = _new_id("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": int(amount),
            "amount_received": 0,
            "currency": currency,
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(12)}",
            "created": int(time.time()),
            "description": params.get("description"),
            "latest_charge": None,
            "last_payment_error": None,
            "livemode": False,
            "metadata": params.get("metadata") or {},
            "payment_method": None,
            "status": "requires_payment_method",
        }
        self.intents[intent_id] = intent
        return JSONResponse(intent)

    async def retrieve_intent(self, intent_id: str) -> JSONResponse:
        intent = self.intents.get(intent_id)
        if intent is None:
            return _missing("payment_intent", intent_id)
        return JSONResponse(intent)

    async def confirm_intent(self, intent_id: str, request: Request) -> Response:
        params = await self._params(request)
        if not self._keyed(request) and "client_secret" not in params:
            return _error(401, "invalid_request_error", "Invalid API Key provided.")
        return self._idempotent(request, params, lambda: self._confirm(intent_id, params))

    def _confirm(self, intent_id: str, params: dict[str, Any]) -> JSONResponse:
        intent = self.intents.get(intent_id)
        if intent is None:
            return _missing("payment_intent", intent_id)
        given = params.get("client_secret")
        if given is not None and not hmac.compare_digest(str(given), intent["client_secret"]):
            return _error(
                400,
                "invalid_request_error",
                "The client_secret provided does not match the client_secret associated with "
                "the PaymentIntent.",
                "payment_intent_invalid_parameter",
            )
        if intent["status"] not in {"requires_payment_method", "requires_confirmation"}:
            return _error(
                400,
                "invalid_request_error",
                f"This PaymentIntent's status is {intent['status']}.",
                "payment_intent_unexpected_state",
            )
        method = _payment_method(params)
        if method is None:
            return _error(402, "card_error", "Your card number is incorrect.", "incorrect_number")
        intent["payment_method"] = method
        if method in DECLINES:
            decline_code, message = DECLINES[method]
            intent["last_payment_error"] = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": decline_code,
                "message": message,
            }
            intent["status"] = "requires_payment_method"
            self.emit("payment_intent.payment_failed", dict(intent))
            return JSONResponse(intent)
        charge = {
            "id": _new_id("ch"),
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount"],
            "amount_refunded": 0,
            "currency": intent["currency"],
            "created": int(time.time()),
            "metadata": dict(intent["metadata"]),
            "paid": True,
            "payment_intent": intent_id,
            "payment_method": method,
            "refunded": False,
            "status": "succeeded",
        }
        self.charges[charge["id"]] = charge
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=charge["id"],
            last_payment_error=None,
        )
        self.emit("payment_intent.succeeded", dict(intent))
        return JSONResponse(intent)

    async def create_refund(self, request: Request) -> Response:
        params = await self._params(request)
        return self._idempotent(request, params, lambda: self._refund(params))

    def _refund(self, params: dict[str, Any]) -> JSONResponse:
        charge_id = params.get("charge")
        if charge_id is None and params.get("payment_intent") in self.intents:
            charge_id = self.intents[params["payment_intent"]]["latest_charge"]
        charge = self.charges.get(str(charge_id))
        if charge is None:
            return _error(
                400,
                "invalid_request_error",
                "No charge to refund: give a succeeded payment_intent or a charge.",
                "resource_missing",
            )
        remaining = charge["amount"] - charge["amount_refunded"]
        amount = str(params.get("amount", remaining))
        if not amount.isdigit() or not 0 < int(amount) <= remaining:
            return _error(
                400,
                "invalid_request_error",
                f"Refund amount must be between 1 and {remaining}.",
                "amount_too_large" if remaining else "charge_already_refunded",
            )
        refund = {
            "id": _new_id("re"),
            "object": "refund",
            "amount": int(amount),
            "charge": charge["id"],
            "created": int(time.time()),
            "currency": charge["currency"],
            "metadata": params.get("metadata") or {},
            "payment_intent": charge["payment_intent"],
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        charge["amount_refunded"] += int(amount)
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        self.emit("charge.refunded", dict(charge))
        return JSONResponse(refund)

    async def events(self) -> JSONResponse:
        """Every event the fake sent, oldest first, and whether the receiver accepted it."""
        return JSONResponse([delivery.summary() for delivery in self.sender.deliveries()])

    async def resend(self, event_id: str) -> JSONResponse:
        """Deliver an event again, newly signed, like the dashboard's "Resend" button."""
        delivery = self.sender.resend(event_id)
        if delivery is None:
            return _missing("event", event_id)
        return JSONResponse(delivery.summary())


def _payment_method(params: dict[str, Any]) -> str | None:
    """The test payment method confirmed with: named, or a test card's number (None: unknown)."""
    data = params.get("payment_method_data")
    card = data.get("card") if isinstance(data, dict) else None
    if isinstance(card, dict) and "number" in card:
        return TEST_CARDS.get(re.sub(r"[\s-]", "", str(card["number"])))
    return str(params.get("payment_method") or "pm_card_visa")


def _missing(kind: str, identifier: str) -> JSONResponse:
    return _error(
        404, "invalid_request_error", f"No such {kind}: '{identifier}'", "resource_missing"
    )


async def _health() -> dict[str, str]:
    return {"status": "ok"}


def create_stripe_fake(settings: StripeFakeSettings | None = None) -> FastAPI:
    """The fake Stripe API as an ASGI app (``python -m subgraphs.billing.payments.fakes stripe``)."""
    fake = _FakeStripe(settings or StripeFakeSettings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await fake.sender.aclose()

    app = FastAPI(title="Stripe (local fake)", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.fake = fake
    app.middleware("http")(fake.authenticate)
    # added last, so outermost: a preflight is answered before authentication
    app.add_middleware(
        CORSMiddleware,
        allow_origins=fake.settings.allowed_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Stripe-Version"],
        max_age=600,
    )
    app.add_api_route("/health", _health, methods=["GET"])
    app.add_api_route("/v1/payment_intents", fake.create_intent, methods=["POST"])
    app.add_api_route("/v1/payment_intents/{intent_id}", fake.retrieve_intent, methods=["GET"])
    app.add_api_route(
        "/v1/payment_intents/{intent_id}/confirm", fake.confirm_intent, methods=["POST"]
    )
    app.add_api_route("/v1/refunds", fake.create_refund, methods=["POST"])
    app.add_api_route("/_fake/events", fake.events, methods=["GET"])
    app.add_api_route("/_fake/events/{event_id}/resend", fake.resend, methods=["POST"])
    return app
