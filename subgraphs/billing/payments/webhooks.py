"""``POST /webhooks/stripe`` and ``POST /webhooks/paypal``: the providers' signed notifications.

A genuine webhook is answered 200 (also when it was delivered before, or changed nothing), a
forged, stale or malformed one 400 (nothing is written), and 503 when the provider could not be
asked to verify it, so that the provider delivers it again later.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from subgraphs.billing.payments import service
from subgraphs.billing.payments.metrics import WebhookOutcome, record_webhook
from subgraphs.billing.payments.models import PaymentProvider
from subgraphs.billing.payments.providers.base import WebhookRejected
from subgraphs.billing.payments.providers.gateways import PaymentGateways
from subgraphs.common.errors import DomainError
from subgraphs.common.state import ServiceState

__all__ = ["MAX_WEBHOOK_BYTES", "webhook_router"]

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 512 * 1024  # providers' events are a few kilobytes


def _outcome(status: int) -> WebhookOutcome:
    if status == 200:
        return "accepted"
    return "rejected" if status in {400, 413} else "unavailable"


def webhook_router() -> APIRouter:
    router = APIRouter(tags=["payments"])

    async def receive(request: Request, provider: PaymentProvider) -> JSONResponse:
        declared = request.headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > MAX_WEBHOOK_BYTES:
            return JSONResponse({"error": "body too large"}, status_code=413)
        body = await request.body()
        if len(body) > MAX_WEBHOOK_BYTES:
            return JSONResponse({"error": "body too large"}, status_code=413)
        state: ServiceState = request.app.state.service
        gateways: PaymentGateways = request.app.state.payment_gateways
        try:
            result = await service.handle_webhook(
                state.database,
                gateways=gateways,
                provider=provider,
                body=body,
                headers=request.headers,
            )
        except WebhookRejected as exc:
            logger.warning("%s webhook refused: %s", provider.value, exc)
            return JSONResponse({"error": "webhook not verified"}, status_code=400)
        except DomainError as exc:  # not configured, provider unreachable, database busy
            logger.warning("%s webhook not processed: %s", provider.value, exc.message)
            return JSONResponse(
                {"error": exc.message}, status_code=exc.http_status, headers={"retry-after": "5"}
            )
        return JSONResponse(
            {
                "received": True,
                "eventId": result.event_id,
                "outcome": result.outcome.value,
                "duplicate": result.duplicate,
            }
        )

    async def counted(request: Request, provider: PaymentProvider) -> JSONResponse:
        response = await receive(request, provider)
        record_webhook(provider.value.lower(), _outcome(response.status_code))
        return response

    @router.post("/webhooks/stripe")
    async def stripe_webhook(request: Request) -> JSONResponse:
        return await counted(request, PaymentProvider.STRIPE)

    @router.post("/webhooks/paypal")
    async def paypal_webhook(request: Request) -> JSONResponse:
        return await counted(request, PaymentProvider.PAYPAL)

    return router
