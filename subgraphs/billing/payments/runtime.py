"""The running service's payment gateways: built at start-up from its settings, closed at exit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from subgraphs.billing.payments.providers.gateways import PaymentGateways
from subgraphs.billing.payments.settings import PaymentSettings
from subgraphs.common.context import RequestContext
from subgraphs.common.state import ServiceState

__all__ = ["gateways_of", "payment_gateways_lifespan"]


@asynccontextmanager
async def payment_gateways_lifespan(app: FastAPI, state: ServiceState) -> AsyncIterator[None]:
    """``app.state.payment_gateways`` for the app's lifetime (a lifespan hook)."""
    settings: object = state.settings  # the billing service's settings mix PaymentSettings in
    gateways = PaymentGateways.from_settings(
        settings if isinstance(settings, PaymentSettings) else PaymentSettings()
    )
    app.state.payment_gateways = gateways
    try:
        yield
    finally:
        await gateways.aclose()


def gateways_of(context: RequestContext) -> PaymentGateways:
    """The serving app's gateways; none configured outside an app (tests of a bare schema)."""
    request = context.request
    gateways = getattr(request.app.state, "payment_gateways", None) if request else None
    return gateways if isinstance(gateways, PaymentGateways) else PaymentGateways()
