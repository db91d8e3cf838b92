"""The billing service's FastAPI app (``uvicorn --factory subgraphs.billing.app:create_app``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI

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
    (see :func:`subgraphs.clinical.app.create_app` for ``jwks`` and ``revocation``).
    """
    settings = settings or BillingSettings()
    app = create_service_app(
        title="healthgraph billing",
        settings=settings,
        schema=schema,
        lifespans=(jwt_verifier_lifespan(jwks, revocation=revocation), payment_gateways_lifespan),
    )
    app.include_router(webhook_router())  # the payment providers' signed webhooks
    return app
