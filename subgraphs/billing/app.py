"""The billing service's FastAPI app (``uvicorn --factory subgraphs.billing.app:create_app``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI

from subgraphs.billing.accounts.registrations import registration_consumer_hook
from subgraphs.billing.claims.runtime import claim_registry_lifespan
from subgraphs.billing.fhir import fhir_router
from subgraphs.billing.grpc.server import billing_grpc_server
from subgraphs.billing.invoices.consumer import appointment_billing_hook
from subgraphs.billing.invoices.http import invoice_documents_router
from subgraphs.billing.payments.runtime import payment_gateways_lifespan
from subgraphs.billing.payments.webhooks import webhook_router
from subgraphs.billing.reports.downloads import reports_router
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
    (:mod:`subgraphs.billing.invoices.consumer`), opens accounts from clinical's registration
    events (:mod:`subgraphs.billing.accounts.registrations`), serves its gRPC API
    (``billing.v1.BillingService`` and health, on ``BILLING_GRPC_PORT``) and serves each invoice
    as PDF and CSV at ``/invoices/{id}.pdf`` and ``/invoices/{id}.csv`` (same bearer token and
    row rules); claims anchor on the chain of :mod:`subgraphs.billing.claims.runtime`; the desk's
    reports download at ``/reports/<report>.csv|.pdf``. Stripe and PayPal post their signed
    webhooks to ``/webhooks/stripe`` and ``/webhooks/paypal``
    (:mod:`subgraphs.billing.payments.webhooks`). ``/fhir/R4`` serves invoices, claims and
    insurance as FHIR R4 Invoice, Claim and Coverage (:mod:`subgraphs.billing.fhir`).
    """
    settings = settings or BillingSettings()
    appointments = appointment_billing_hook(settings, settings)
    registrations = registration_consumer_hook(settings)
    grpc_server = billing_grpc_server(
        settings, currency=settings.currency, data_dir=settings.data_dir
    )
    app = create_service_app(
        title="healthgraph billing",
        settings=settings,
        schema=schema,
        lifespans=(
            jwt_verifier_lifespan(jwks, revocation=revocation),
            appointments,
            registrations,
            grpc_server,
            claim_registry_lifespan(settings),
            payment_gateways_lifespan,
        ),
        readiness={
            "appointments": appointments.check_ready,
            "registrations": registrations.check_ready,
            "grpc": grpc_server.check_ready,
        },
    )
    app.include_router(invoice_documents_router())
    app.include_router(reports_router())
    app.include_router(webhook_router())  # the payment providers' signed webhooks
    app.include_router(fhir_router())
    return app
