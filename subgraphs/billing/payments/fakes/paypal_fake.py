"""A local fake of PayPal's REST API (OAuth, Orders v2, captures, refunds, webhook verification).

PayPal REST API reference: ``POST /v1/oauth2/token`` (client credentials, Basic auth), Orders v2
create/get/capture with ``PayPal-Request-Id``, ``POST /v2/payments/captures/{id}/refund``, and
webhooks carrying ``PAYPAL-TRANSMISSION-ID/-TIME/-SIG``, ``PAYPAL-CERT-URL`` and
``PAYPAL-AUTH-ALGO`` (SHA256withRSA over ``<id>|<time>|<webhook id>|<CRC32 of the body>``),
checked by ``POST /v1/notifications/verify-webhook-signature``. The buyer's approval on paypal.com
is ``POST /checkoutnow?token=<order id>`` here. ``GET`` shows the buyer's page: "Pay now" or
"Cancel"; like PayPal, it then sends the buyer's browser to the order's
``payment_source.paypal.experience_context`` ``return_url`` (``?token=<order id>&PayerID=<id>``)
or ``cancel_url`` (``?token=<order id>``).
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
import string
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html import escape
from typing import Any
from urllib.parse import urlencode

import orjson
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from subgraphs.billing.payments.fakes.idempotency import IdempotencyStore
from subgraphs.billing.payments.fakes.webhooks import WebhookSender

__all__ = ["PayPalFakeSettings", "create_paypal_fake", "signed_message"]

AUTH_ALGO = "SHA256withRSA"
CERT_NAME = "CERT-healthgraph-fake"
_VALUE = re.compile(r"\d{1,10}(\.\d{1,3})?")
_ID_ALPHABET = string.ascii_uppercase + string.digits


class PayPalFakeSettings(BaseSettings):
    """``PAYPAL_FAKE_*``: where it listens, the one app it knows, where webhooks go."""

    model_config = SettingsConfigDict(env_prefix="PAYPAL_FAKE_", extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = 4022
    # The address the fake puts in links (approval page, certificate); default http://host:port
    public_url: str | None = None
    client_id: str = "healthgraph-fake-client"
    client_secret: SecretStr = SecretStr("healthgraph-fake-secret")
    webhook_url: str | None = None
    webhook_id: str = "WH-HEALTHGRAPH-FAKE"
    webhook_attempts: int = 5

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


def signed_message(
    transmission_id: str, transmission_time: str, webhook_id: str, body: bytes
) -> bytes:
    """What PayPal signs for a webhook: ``<id>|<time>|<webhook id>|<CRC32 of the body>``."""
    return f"{transmission_id}|{transmission_time}|{webhook_id}|{zlib.crc32(body)}".encode()


def _error(status: int, name: str, issue: str, description: str) -> JSONResponse:
    return JSONResponse(
        {
            "name": name,
            "message": description,
            "debug_id": secrets.token_hex(6),
            "details": [{"issue": issue, "description": description}],
        },
        status_code=status,
    )


def _new_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(17))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _signing_identity() -> tuple[rsa.RSAPrivateKey, bytes]:
    """A fresh RSA key and its self-signed certificate (PEM), made at start-up."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "messageverificationcerts.fake")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return key, certificate.public_bytes(serialization.Encoding.PEM)


def _buyer_return(body: dict[str, Any]) -> dict[str, str]:
    """The order's return and cancel URLs (``experience_context``, or the older
    ``application_context``), when they are http(s) URLs."""
    source = body.get("payment_source")
    wallet = source.get("paypal") if isinstance(source, dict) else None
    context = wallet.get("experience_context") if isinstance(wallet, dict) else None
    if not isinstance(context, dict):
        context = body.get("application_context")
    if not isinstance(context, dict):
        return {}
    return {
        name: str(context[name])
        for name in ("return_url", "cancel_url")
        if str(context.get(name, "")).startswith(("http://", "https://"))
    }


def _redirect(url: str, query: dict[str, str]) -> RedirectResponse:
    """Send the buyer's browser back to the shop (303: the next request is a GET)."""
    glue = "&" if "?" in url else "?"
    return RedirectResponse(f"{url}{glue}{urlencode(query)}", status_code=303)


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def _page(title: str, body: str, *, status: int = 200) -> HTMLResponse:
    """One page of the buyer's side, in the plainest accessible HTML."""
    return HTMLResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} (PayPal, local fake)</title></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>",
        status_code=status,
    )


def _unknown() -> JSONResponse:
    return _error(
        404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", "Specified resource ID does not exist."
    )


async def _health() -> dict[str, str]:
    return {"status": "ok"}


class _FakePayPal:
    """The fake's state and its handlers (one per endpoint)."""

    def __init__(self, settings: PayPalFakeSettings) -> None:
        self.settings = settings
        self.base = settings.base_url
        self.cert_url = f"{self.base}/v1/notifications/certs/{CERT_NAME}"
        self.key, self.certificate_pem = _signing_identity()
        self.tokens: dict[str, float] = {}  # access token -> expiry (epoch seconds)
        self.orders: dict[str, dict[str, Any]] = {}
        self.captures: dict[str, dict[str, Any]] = {}
        self.refunded: dict[str, Decimal] = {}  # capture id -> refunded so far
        self.returns: dict[str, dict[str, str]] = {}  # order id -> return_url / cancel_url
        self.keys = IdempotencyStore(
            lambda: _error(
                422,
                "UNPROCESSABLE_ENTITY",
                "DUPLICATE_REQUEST_ID",
                "PayPal-Request-Id was already used for another request.",
            )
        )
        self.sender = WebhookSender(
            settings.webhook_url, self.sign, attempts=settings.webhook_attempts
        )

    def sign(self, body: bytes) -> Mapping[str, str]:
        """The transmission headers PayPal sends with a webhook ``body``."""
        transmission_id, transmission_time = str(uuid.uuid4()), _now()
        message = signed_message(transmission_id, transmission_time, self.settings.webhook_id, body)
        signature = self.key.sign(message, padding.PKCS1v15(), hashes.SHA256())
        return {
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-TIME": transmission_time,
            "PAYPAL-TRANSMISSION-SIG": base64.b64encode(signature).decode(),
            "PAYPAL-CERT-URL": self.cert_url,
            "PAYPAL-AUTH-ALGO": AUTH_ALGO,
        }

    def emit(self, kind: str, resource_type: str, resource: dict[str, Any], summary: str) -> None:
        event_id = f"WH-{_new_id()}"
        event = {
            "id": event_id,
            "event_version": "1.0",
            "create_time": _now(),
            "resource_type": resource_type,
            "resource_version": "2.0",
            "event_type": kind,
            "summary": summary,
            "resource": resource,
            "links": [],
        }
        self.sender.send(event_id, kind, orjson.dumps(event))

    def _link(self, path: str, rel: str, method: str = "GET") -> dict[str, str]:
        return {"href": f"{self.base}{path}", "rel": rel, "method": method}

    async def authenticate(self, request: Request, call_next: Any) -> Response:
        path = request.url.path
        public = path == "/v1/oauth2/token" or path.startswith("/v1/notifications/certs/")
        if path.startswith(("/v1/", "/v2/")) and not public:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or self.tokens.get(token, 0) < time.time():
                return JSONResponse(
                    {
                        "error": "invalid_token",
                        "error_description": "Token signature verification failed",
                    },
                    status_code=401,
                )
        response: Response = await call_next(request)
        return response

    async def token(self, request: Request) -> JSONResponse:
        expected = f"{self.settings.client_id}:{self.settings.client_secret.get_secret_value()}"
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        try:
            given = base64.b64decode(encoded, validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            given = ""
        if scheme.lower() != "basic" or not hmac.compare_digest(given.encode(), expected.encode()):
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client Authentication failed"},
                status_code=401,
            )
        form = await request.form()
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        access_token = f"A21AA{secrets.token_urlsafe(32)}"
        self.tokens[access_token] = time.time() + 32400
        return JSONResponse(
            {
                "scope": "https://uri.paypal.com/services/payments/payment",
                "access_token": access_token,
                "token_type": "Bearer",
                "app_id": "APP-FAKE",
                "expires_in": 32400,
                "nonce": secrets.token_hex(8),
            }
        )

    async def create_order(self, request: Request) -> Response:
        body = await request.json()
        key = request.headers.get("paypal-request-id")
        return self.keys.run(key, ["create", body], lambda: self._create_order(body))

    def _create_order(self, body: Any) -> JSONResponse:
        units = body.get("purchase_units") if isinstance(body, dict) else None
        if body.get("intent") != "CAPTURE" or not isinstance(units, list) or len(units) != 1:
            return _error(
                400,
                "INVALID_REQUEST",
                "INVALID_PARAMETER_VALUE",
                "This fake takes intent CAPTURE with one purchase unit.",
            )
        amount = units[0].get("amount") or {}
        value = str(amount.get("value"))
        if not re.fullmatch(r"[A-Z]{3}", str(amount.get("currency_code"))) or not (
            _VALUE.fullmatch(value) and Decimal(value) > 0
        ):
            return _error(
                400,
                "INVALID_REQUEST",
                "INVALID_PARAMETER_VALUE",
                "amount needs a currency_code and a positive value.",
            )
        order_id = _new_id()
        back = _buyer_return(body)
        kept = ("reference_id", "custom_id", "invoice_id", "description")
        unit = {key: units[0][key] for key in kept if key in units[0]}
        unit["amount"] = {"currency_code": amount["currency_code"], "value": value}
        order = {
            "id": order_id,
            "intent": "CAPTURE",
            "status": "CREATED",
            "purchase_units": [unit],
            "create_time": _now(),
            "links": [
                self._link(f"/v2/checkout/orders/{order_id}", "self"),
                # PayPal names the buyer's link payer-action when a payment source is given
                self._link(f"/checkoutnow?token={order_id}", "payer-action" if back else "approve"),
                self._link(f"/v2/checkout/orders/{order_id}/capture", "capture", "POST"),
            ],
        }
        self.orders[order_id] = order
        self.returns[order_id] = back
        return JSONResponse(order, status_code=201)

    async def get_order(self, order_id: str) -> JSONResponse:
        order = self.orders.get(order_id)
        return _unknown() if order is None else JSONResponse(order)

    async def approval_page(self, token: str) -> HTMLResponse:
        order = self.orders.get(token)
        if order is None:
            return _page("No such order", "<p>This payment does not exist.</p>", status=404)
        amount = order["purchase_units"][0]["amount"]
        action = f"/checkoutnow?{urlencode({'token': token})}"
        return _page(
            "Pay with PayPal",
            f"<p>Pay <strong>{escape(amount['value'])} {escape(amount['currency_code'])}</strong>"
            f" to healthgraph (order {escape(token)})?</p>"
            f'<form method="post" action="{escape(action)}">'
            '<button type="submit" name="decision" value="approve">Pay now</button> '
            '<button type="submit" name="decision" value="cancel">Cancel and return</button>'
            "</form>",
        )

    async def approve(self, token: str, request: Request) -> Response:
        """The buyer approves (or cancels) the order (on paypal.com in real life).

        The page's form says which (``decision``) and is sent back to the shop's return or cancel
        URL; a plain POST approves and answers JSON (scripts standing in for the buyer).
        """
        order = self.orders.get(token)
        if order is None:
            return _unknown()
        form = await request.form() if _is_form(request) else None
        decision = str(form.get("decision", "")) if form is not None else ""
        back = self.returns.get(token, {})
        if decision == "cancel":
            if "cancel_url" in back:
                return _redirect(back["cancel_url"], {"token": token})
            return _page("Payment cancelled", "<p>You cancelled; nothing was paid.</p>")
        if order["status"] == "CREATED":
            order["status"] = "APPROVED"
            order["payer"] = {
                "payer_id": _new_id()[:13],
                "name": {"given_name": "Test", "surname": "Buyer"},
                "email_address": "buyer@example.test",
            }
        if decision and "return_url" in back:
            payer = order.get("payer", {}).get("payer_id", "")
            return _redirect(back["return_url"], {"token": token, "PayerID": payer})
        return JSONResponse({"id": token, "status": order["status"]})

    async def capture(self, order_id: str, request: Request) -> Response:
        key = request.headers.get("paypal-request-id")
        return self.keys.run(key, ["capture", order_id], lambda: self._capture(order_id))

    def _capture(self, order_id: str) -> JSONResponse:
        order = self.orders.get(order_id)
        if order is None:
            return _unknown()
        if order["status"] == "COMPLETED":
            return _error(
                422, "UNPROCESSABLE_ENTITY", "ORDER_ALREADY_CAPTURED", "Order already captured."
            )
        if order["status"] != "APPROVED":
            return _error(
                422,
                "UNPROCESSABLE_ENTITY",
                "ORDER_NOT_APPROVED",
                "Payer has not yet approved the Order for payment.",
            )
        unit = order["purchase_units"][0]
        capture_id, stamp = _new_id(), _now()
        captured = {
            "id": capture_id,
            "status": "COMPLETED",
            "amount": dict(unit["amount"]),
            "final_capture": True,
            "custom_id": unit.get("custom_id"),
            "invoice_id": unit.get("invoice_id"),
            "create_time": stamp,
            "update_time": stamp,
            "supplementary_data": {"related_ids": {"order_id": order_id}},
            "links": [self._link(f"/v2/payments/captures/{capture_id}", "self")],
        }
        self.captures[capture_id] = captured
        self.refunded[capture_id] = Decimal(0)
        unit["payments"] = {"captures": [captured]}
        order["status"] = "COMPLETED"
        amount = unit["amount"]
        summary = f"Payment completed for {amount['value']} {amount['currency_code']}"
        self.emit("PAYMENT.CAPTURE.COMPLETED", "capture", captured, summary)
        return JSONResponse(order, status_code=201)

    async def refund(self, capture_id: str, request: Request) -> Response:
        raw = await request.body()
        body = orjson.loads(raw) if raw else {}
        key = request.headers.get("paypal-request-id")
        return self.keys.run(
            key, ["refund", capture_id, body], lambda: self._refund(capture_id, body)
        )

    def _refund(self, capture_id: str, body: Any) -> JSONResponse:
        captured = self.captures.get(capture_id)
        if captured is None:
            return _unknown()
        currency = captured["amount"]["currency_code"]
        total = Decimal(captured["amount"]["value"])
        remaining = total - self.refunded[capture_id]
        requested = (body.get("amount") or {}) if isinstance(body, dict) else {}
        value = Decimal(str(requested.get("value", remaining)))
        if requested.get("currency_code", currency) != currency or not 0 < value <= remaining:
            return _error(
                422,
                "UNPROCESSABLE_ENTITY",
                "REFUND_AMOUNT_EXCEEDED",
                "The refund amount must be positive, in the capture's currency, and at most "
                "what is left.",
            )
        self.refunded[capture_id] += value
        exponent = total.as_tuple().exponent
        quantum = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
        refunded_value = str(value.quantize(quantum))
        refund: dict[str, Any] = {
            "id": _new_id(),
            "status": "COMPLETED",
            "amount": {"currency_code": currency, "value": refunded_value},
            "custom_id": captured.get("custom_id"),
            "invoice_id": captured.get("invoice_id"),
            "seller_payable_breakdown": {
                "total_refunded_amount": {
                    "currency_code": currency,
                    "value": str(self.refunded[capture_id].quantize(quantum)),
                }
            },
            "create_time": _now(),
            "links": [self._link(f"/v2/payments/captures/{capture_id}", "up")],
        }
        summary = f"A {refunded_value} {currency} capture payment was refunded"
        self.emit("PAYMENT.CAPTURE.REFUNDED", "refund", refund, summary)
        return JSONResponse(refund, status_code=201)

    async def certificate(self) -> Response:
        return Response(self.certificate_pem, media_type="application/x-pem-file")

    async def verify(self, request: Request) -> JSONResponse:
        """SUCCESS only for an event this fake signed, unchanged, for the webhook it names."""
        body = await request.json()
        event = body.get("webhook_event") if isinstance(body, dict) else None
        if not isinstance(event, dict):
            return _error(
                400, "VALIDATION_ERROR", "MISSING_REQUIRED_PARAMETER", "webhook_event is required."
            )
        names = ("auth_algo", "cert_url", "transmission_id", "transmission_sig",
                 "transmission_time", "webhook_id")  # fmt: skip
        values = {name: body.get(name) for name in names}
        ok = all(isinstance(value, str) and value for value in values.values())
        ok = ok and values["auth_algo"] == AUTH_ALGO and values["cert_url"] == self.cert_url
        ok = ok and values["webhook_id"] == self.settings.webhook_id
        if ok:
            message = signed_message(
                str(values["transmission_id"]),
                str(values["transmission_time"]),
                str(values["webhook_id"]),
                orjson.dumps(event),
            )
            try:
                signature = base64.b64decode(str(values["transmission_sig"]), validate=True)
                self.key.public_key().verify(
                    signature, message, padding.PKCS1v15(), hashes.SHA256()
                )
            except (ValueError, InvalidSignature):
                ok = False
        return JSONResponse({"verification_status": "SUCCESS" if ok else "FAILURE"})

    async def events(self) -> JSONResponse:
        """Every event the fake sent, oldest first, and whether the receiver accepted it."""
        return JSONResponse([delivery.summary() for delivery in self.sender.deliveries()])

    async def resend(self, event_id: str) -> JSONResponse:
        """Deliver an event again, newly signed, like the developer dashboard's "Resend"."""
        delivery = self.sender.resend(event_id)
        return _unknown() if delivery is None else JSONResponse(delivery.summary())


def create_paypal_fake(settings: PayPalFakeSettings | None = None) -> FastAPI:
    """The fake PayPal API as an ASGI app (``python -m subgraphs.billing.payments.fakes paypal``)."""
    fake = _FakePayPal(settings or PayPalFakeSettings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await fake.sender.aclose()

    app = FastAPI(title="PayPal (local fake)", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.fake = fake
    app.middleware("http")(fake.authenticate)
    routes: list[tuple[str, str, Callable[..., Awaitable[Response | dict[str, str]]]]] = [
        ("GET", "/health", _health),
        ("POST", "/v1/oauth2/token", fake.token),
        ("POST", "/v2/checkout/orders", fake.create_order),
        ("GET", "/v2/checkout/orders/{order_id}", fake.get_order),
        ("POST", "/v2/checkout/orders/{order_id}/capture", fake.capture),
        ("POST", "/v2/payments/captures/{capture_id}/refund", fake.refund),
        ("GET", "/checkoutnow", fake.approval_page),
        ("POST", "/checkoutnow", fake.approve),
        ("GET", f"/v1/notifications/certs/{CERT_NAME}", fake.certificate),
        ("POST", "/v1/notifications/verify-webhook-signature", fake.verify),
        ("GET", "/_fake/events", fake.events),
        ("POST", "/_fake/events/{event_id}/resend", fake.resend),
    ]
    for method, path, handler in routes:
        app.add_api_route(path, handler, methods=[method])
    return app
