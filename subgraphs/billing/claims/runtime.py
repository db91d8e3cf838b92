"""The billing app's one ``ClaimRegistry``: connected (or deployed) at start-up, closed at shutdown."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from subgraphs.billing.claims.chain.errors import ChainUnavailable
from subgraphs.billing.claims.chain.registry import ClaimRegistry
from subgraphs.billing.claims.chain.settings import ChainSettings
from subgraphs.common.context import RequestContext
from subgraphs.common.errors import ServiceUnavailable
from subgraphs.common.state import Lifespan, ServiceState

__all__ = ["claim_registry_lifespan", "registry_of"]

_log = logging.getLogger(__name__)


def claim_registry_lifespan(settings: ChainSettings) -> Lifespan:
    """Start the registry with the app (the in-process chain deploys its contract here)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI, _: ServiceState) -> AsyncIterator[None]:
        registry = ClaimRegistry(settings)
        try:
            await registry.start()
        except ChainUnavailable as exc:
            # Billing serves everything else; claims answer SERVICE_UNAVAILABLE and connect on
            # their next call. A misconfigured contract or account still stops the start-up.
            _log.warning("claim registry not connected yet: %s", exc.message)
        else:
            _log.info(
                "claims anchored in ClaimRegistry %s on %s",
                registry.address,
                settings.chain_rpc_url or "the in-process chain",
            )
        app.state.claim_registry = registry
        try:
            yield
        finally:
            await registry.close()

    return lifespan


def registry_of(context: RequestContext) -> ClaimRegistry:
    """The serving app's registry; SERVICE_UNAVAILABLE when the app runs without one."""
    request = context.request
    registry = getattr(request.app.state, "claim_registry", None) if request is not None else None
    if not isinstance(registry, ClaimRegistry):
        raise ServiceUnavailable("The claim registry is not connected.")
    return registry
