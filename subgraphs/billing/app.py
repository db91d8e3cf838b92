"""The billing service's FastAPI app (``uvicorn --factory subgraphs.billing.app:create_app``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI

from subgraphs.billing.invoices.consumer import AppointmentBillingHook
from subgraphs.billing.invoices.http import invoice_documents_router
from subgraphs.billing.payments.runtime import payment_gateways_lifespan
from subgraphs.billing.payments.webhooks import webhook_router
from subgraphs.billing.schema import schema
from subgraphs.billing.settings import BillingSettings
from subgraphs.common.app import create_service_app
from subgraphs.common.tokens import JwksSource, jwt_verifier_lifespan

__all__ = ["create_app"]


def create_app(
    settings: BillingSettings | None = None,
    *,
    jwks: Mapping[str, Any] | JwksSource | None = None,
    revocation: bool | None = None,
) -> FastAPI:
    """The billing subgraph on its settings (``BILLING_*`` environment by default).

    Access tokens are verified by the shared :class:`~subgraphs.common.tokens.JwtVerifier`
    (see :func:`subgraphs.clinical.app.create_app` for ``jwks`` and ``revocation``). The
    service bills completed appointments from ``clinical.appointments``
    (:mod:`subgraphs.billing.invoices.consumer`) and serves each invoice as PDF and CSV at
    ``/invoices/{id}.pdf`` and ``/invoices/{id}.csv`` (same bearer token and row rules).
    Stripe and PayPal post their signed webhooks to ``/webhooks/stripe`` and ``/webhooks/paypal``
    (:mod:`subgraphs.billing.payments.webhooks`).
    """
    settings = settings or BillingSettings()
    appointments = AppointmentBillingHook(settings, settings)
    app = create_service_app(
        title="healthgraph billing",
        settings=settings,
        schema=schema,
        lifespans=(
            jwt_verifier_lifespan(jwks, revocation=revocation),
            appointments,
            payment_gateways_lifespan,
        ),
        readiness={"appointments": appointments.check_ready},
    )
    app.include_router(invoice_documents_router())
    app.include_router(webhook_router())  # the payment providers' signed webhooks
    return app
