"""The clinical service's FastAPI app (``uvicorn --factory subgraphs.clinical.app:create_app``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI

from subgraphs.clinical.analytics.consumer import AnalyticsHook
from subgraphs.clinical.audit.feed import AuditStoreHook
from subgraphs.clinical.fhir import fhir_router
from subgraphs.clinical.live.lifespan import live_feed_lifespan
from subgraphs.clinical.people.billing import billing_accounts_lifespan
from subgraphs.clinical.prescriptions.jwks import prescription_keys_router
from subgraphs.clinical.prescriptions.registry import prescription_keys_lifespan
from subgraphs.clinical.schema import schema
from subgraphs.clinical.settings import ClinicalSettings
from subgraphs.common.app import create_service_app
from subgraphs.common.tokens import JwksSource, jwt_verifier_lifespan

__all__ = ["create_app"]


def create_app(
    settings: ClinicalSettings | None = None,
    *,
    jwks: Mapping[str, Any] | JwksSource | None = None,
    revocation: bool | None = None,
) -> FastAPI:
    """The clinical subgraph on its settings (``CLINICAL_*`` environment by default).

    Access tokens are verified by the shared :class:`~subgraphs.common.tokens.JwtVerifier`: keys
    from ``HEALTHGRAPH_JWKS_URL`` and auth's revocation list on ``REDIS_URL``, unless ``jwks``
    gives the keys statically (``revocation`` then defaults to off; see ``jwt_verifier_lifespan``).
    The service also loads its prescription signing key, follows the live-subscription
    topics, feeds the access audit store from ``audit.access`` and keeps a gRPC channel to
    billing (a registered patient's account: :mod:`subgraphs.clinical.people.billing`) and
    keeps the analytics from the event stream (:mod:`subgraphs.clinical.analytics`);
    ``/ready`` reports the live feed, ``/.well-known/prescription-keys.json`` publishes the
    prescription keys, ``/fhir/R4`` serves the clinical data as FHIR R4 (:mod:`subgraphs.clinical.fhir`).
    """
    settings = settings or ClinicalSettings()
    live = live_feed_lifespan(settings)
    audit = AuditStoreHook(settings)
    analytics = AnalyticsHook(settings)
    app = create_service_app(
        title="healthgraph clinical",
        settings=settings,
        schema=schema,
        lifespans=(
            jwt_verifier_lifespan(jwks, revocation=revocation),
            prescription_keys_lifespan(settings, data_dir=settings.data_dir),
            live,
            audit,
            analytics,
            billing_accounts_lifespan(settings, data_dir=settings.data_dir),
        ),
        readiness={
            "live": live.check_ready,
            "audit": audit.check_ready,
            "analytics": analytics.check_ready,
        },
    )
    app.include_router(prescription_keys_router())
    app.include_router(fhir_router())
    return app
