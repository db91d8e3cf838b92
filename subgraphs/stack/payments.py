"""The local Stripe and PayPal fakes ``healthgraph up`` runs for billing when no real keys are set.

A provider whose key is in the environment (``BILLING_STRIPE_SECRET_KEY``,
``BILLING_PAYPAL_CLIENT_ID``) is the real one and gets no fake. In production none is started.
The fakes' credentials are generated once into ``<data dir>/keys`` (0600) and handed to both
sides: the fake accepts them, billing's SDKs present them and verify the fake's webhooks. The web
app (served by the router at ``/app/``) talks to them from the browser: Stripe's fake allows the
app's origin (CORS), and PayPal's buyer page sends the browser back to the app's PayPal pages.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson

from subgraphs.common.secrets import load_or_create_secret
from subgraphs.stack.settings import StackSettings

__all__ = ["PaymentFake", "app_origins", "payment_fakes"]


@dataclass(frozen=True, slots=True)
class PaymentFake:
    """One fake provider process and what billing needs to use it."""

    name: str  # "stripe-fake" / "paypal-fake"
    command: list[str]
    env: dict[str, str]  # the fake's own settings
    url: str
    billing_env: dict[str, str]  # BILLING_* for the billing service

    @property
    def health(self) -> str:
        return f"{self.url}/health"


def _secret(data_dir: Path, name: str, prefix: str) -> str:
    path = data_dir / "keys" / f"{name}.secret"
    made = load_or_create_secret(path, f"{prefix}{secrets.token_hex(16)}".encode)
    return made.decode()


def app_origins(settings: StackSettings) -> list[str]:
    """The browser origins of the web app the router serves (loopback by either name)."""
    port = settings.router_port
    if settings.host in {"127.0.0.1", "localhost", "0.0.0.0"}:  # noqa: S104 - names, not a bind
        return [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    return [f"http://{settings.host}:{port}"]


def payment_fakes(
    settings: StackSettings, data_dir: Path, environ: Mapping[str, str]
) -> list[PaymentFake]:
    """The fakes to start: one per provider without real keys (none in production)."""
    if settings.environment == "production":
        return []
    host = settings.host
    billing = f"http://{host}:{settings.billing_port}"
    app = f"{app_origins(settings)[0]}/app"
    module = [sys.executable, "-m", "subgraphs.billing.payments.fakes"]
    fakes: list[PaymentFake] = []
    if not environ.get("BILLING_STRIPE_SECRET_KEY"):
        url = f"http://{host}:{settings.stripe_fake_port}"
        key = _secret(data_dir, "stripe-fake-api-key", "sk_test_")
        webhook = _secret(data_dir, "stripe-fake-webhook", "whsec_")
        fakes.append(
            PaymentFake(
                "stripe-fake",
                [*module, "stripe"],
                {
                    "STRIPE_FAKE_HOST": host,
                    "STRIPE_FAKE_PORT": str(settings.stripe_fake_port),
                    "STRIPE_FAKE_API_KEY": key,
                    "STRIPE_FAKE_WEBHOOK_SECRET": webhook,
                    "STRIPE_FAKE_WEBHOOK_URL": f"{billing}/webhooks/stripe",
                    "STRIPE_FAKE_ALLOWED_ORIGINS": orjson.dumps(app_origins(settings)).decode(),
                },
                url,
                {
                    "BILLING_STRIPE_SECRET_KEY": key,
                    "BILLING_STRIPE_WEBHOOK_SECRET": webhook,
                    "BILLING_STRIPE_API_BASE": url,
                },
            )
        )
    if not environ.get("BILLING_PAYPAL_CLIENT_ID"):
        url = f"http://{host}:{settings.paypal_fake_port}"
        client_secret = _secret(data_dir, "paypal-fake-client", "")
        webhook_id = f"WH-{_secret(data_dir, 'paypal-fake-webhook-id', '').upper()[:17]}"
        fakes.append(
            PaymentFake(
                "paypal-fake",
                [*module, "paypal"],
                {
                    "PAYPAL_FAKE_HOST": host,
                    "PAYPAL_FAKE_PORT": str(settings.paypal_fake_port),
                    "PAYPAL_FAKE_CLIENT_ID": "healthgraph-local",
                    "PAYPAL_FAKE_CLIENT_SECRET": client_secret,
                    "PAYPAL_FAKE_WEBHOOK_ID": webhook_id,
                    "PAYPAL_FAKE_WEBHOOK_URL": f"{billing}/webhooks/paypal",
                },
                url,
                {
                    "BILLING_PAYPAL_CLIENT_ID": "healthgraph-local",
                    "BILLING_PAYPAL_CLIENT_SECRET": client_secret,
                    "BILLING_PAYPAL_WEBHOOK_ID": webhook_id,
                    "BILLING_PAYPAL_API_BASE": url,
                    "BILLING_PAYPAL_RETURN_URL": f"{app}/paypal/return",
                    "BILLING_PAYPAL_CANCEL_URL": f"{app}/paypal/cancel",
                },
            )
        )
    return fakes
