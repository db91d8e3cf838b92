"""Payment test fixtures: the Stripe and PayPal fakes on loopback, and a webhook receiver."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from subgraphs.billing.payments.fakes.paypal_fake import PayPalFakeSettings, create_paypal_fake
from subgraphs.billing.payments.fakes.stripe_fake import StripeFakeSettings, create_stripe_fake
from subgraphs.stack.ports import free_port
from tests.router.loopback import serve

STRIPE_KEY = "sk_test_payments_suite"
STRIPE_WEBHOOK_SECRET = "whsec_payments_suite"
PAYPAL_CLIENT_ID = "payments-suite-client"
PAYPAL_CLIENT_SECRET = "payments-suite-secret"
PAYPAL_WEBHOOK_ID = "WH-PAYMENTS-SUITE"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook endpoint that keeps what it gets and answers ``status``."""

    url: str = ""
    status: int = 200
    received: list[Received] = field(default_factory=list)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def app(self) -> Starlette:
        async def endpoint(request: Request) -> Response:
            self.received.append(Received(dict(request.headers), await request.body()))
            self._arrived.set()
            return Response(status_code=self.status)

        return Starlette(routes=[Route("/webhook", endpoint, methods=["POST"])])

    async def wait_for(self, count: int) -> list[Received]:
        """Wait (10 s at most) until ``count`` webhooks have arrived in all."""
        async with asyncio.timeout(10):
            while len(self.received) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.received


@dataclass(frozen=True)
class Fake:
    url: str
    receiver: Receiver


def provider_settings(stripe: Fake, paypal: Fake) -> dict[str, Any]:
    """``BillingSettings``/``PaymentSettings`` values aiming both providers at their fakes."""
    return {
        "stripe_secret_key": SecretStr(STRIPE_KEY),
        "stripe_webhook_secret": SecretStr(STRIPE_WEBHOOK_SECRET),
        "stripe_api_base": stripe.url,
        "paypal_client_id": PAYPAL_CLIENT_ID,
        "paypal_client_secret": SecretStr(PAYPAL_CLIENT_SECRET),
        "paypal_webhook_id": PAYPAL_WEBHOOK_ID,
        "paypal_api_base": paypal.url,
    }


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver()
    async with serve(hook.app()) as base:
        hook.url = f"{base}/webhook"
        yield hook


@pytest.fixture
async def stripe_fake(receiver: Receiver) -> AsyncIterator[Fake]:
    settings = StripeFakeSettings(
        api_key=SecretStr(STRIPE_KEY),
        webhook_url=receiver.url,
        webhook_secret=SecretStr(STRIPE_WEBHOOK_SECRET),
        webhook_attempts=2,
    )
    async with serve(create_stripe_fake(settings)) as base:
        yield Fake(base, receiver)


@pytest.fixture
async def paypal_fake(receiver: Receiver) -> AsyncIterator[Fake]:
    port = free_port()
    settings = PayPalFakeSettings(
        port=port,
        client_id=PAYPAL_CLIENT_ID,
        client_secret=SecretStr(PAYPAL_CLIENT_SECRET),
        webhook_url=receiver.url,
        webhook_id=PAYPAL_WEBHOOK_ID,
        webhook_attempts=2,
    )
    async with serve(create_paypal_fake(settings), port) as base:
        yield Fake(base, receiver)
