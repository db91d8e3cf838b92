"""Opening a registered patient's billing account over billing's gRPC API (``EnsureAccount``).

Best effort: registration never waits longer than the call's deadline (2 s by default) and never
fails because of billing. When billing is down, slow or refuses, one line is logged and billing
opens the account from the ``patient.created`` event instead; both paths are idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
from fastapi import FastAPI

from subgraphs.clinical.people.models import Patient
from subgraphs.common.app import Lifespan, ServiceState
from subgraphs.common.context import RequestContext
from subgraphs.common.events.failures import describe_error
from subgraphs.common.rpc.billing import BILLING_GRPC_ID, BillingClient
from subgraphs.common.rpc.settings import BillingClientSettings
from subgraphs.common.rpc.tokens import service_token

__all__ = ["BillingAccounts", "billing_accounts_lifespan", "open_billing_account"]

logger = logging.getLogger(__name__)

_STATE_ATTRIBUTE = "clinical_billing"


class BillingAccounts:
    """Asks billing for a patient's account; see the module docstring."""

    def __init__(self, client: BillingClient) -> None:
        self.client = client

    async def open(self, patient: Patient) -> bool:
        """True when billing confirmed the account; False (logged) when it could not now."""
        try:
            await self.client.ensure_account(
                patient_id=patient.id,
                patient_user_id=patient.user_id,
                insurer=patient.insurance_payer or "",
                policy_number=patient.insurance_member_id or "",
            )
        except grpc.aio.AioRpcError as exc:
            reason = f"{exc.code().name}: {exc.details()}"
        except Exception as exc:  # noqa: BLE001 (the patient is registered: billing's trouble must not undo that)
            reason = describe_error(exc)
        else:
            return True
        logger.warning(
            "billing account of patient %s not opened over gRPC (%s); "
            "billing opens it from the patient.created event",
            patient.id,
            reason,
        )
        return False


@asynccontextmanager
async def _no_billing(app: FastAPI) -> AsyncIterator[None]:
    setattr(app.state, _STATE_ATTRIBUTE, None)
    try:
        yield
    finally:
        delattr(app.state, _STATE_ATTRIBUTE)


def billing_accounts_lifespan(settings: BillingClientSettings, *, data_dir: Path) -> Lifespan:
    """A ``create_service_app`` lifespan: one channel to billing for as long as the service runs
    (``app.state.clinical_billing``; None when ``billing_grpc_enabled`` is off)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI, _state: ServiceState) -> AsyncIterator[None]:
        if not settings.billing_grpc_enabled:
            async with _no_billing(app):
                yield
            return
        token = service_token(settings.billing_grpc_token, data_dir=data_dir, name=BILLING_GRPC_ID)
        client = BillingClient(
            settings.billing_grpc_target, token, timeout=settings.billing_grpc_timeout
        )
        setattr(app.state, _STATE_ATTRIBUTE, BillingAccounts(client))
        try:
            yield
        finally:
            delattr(app.state, _STATE_ATTRIBUTE)
            await client.close()

    return lifespan


async def open_billing_account(context: RequestContext, patient: Patient) -> None:
    """After ``patient`` was registered (committed): ask billing for their account, best effort."""
    request = context.request
    accounts = getattr(request.app.state, _STATE_ATTRIBUTE, None) if request is not None else None
    if isinstance(accounts, BillingAccounts):
        await accounts.open(patient)
