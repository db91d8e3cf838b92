"""``GET /.well-known/prescription-keys.json``: the prescription signing keys as a JWKS (RFC 7517)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from subgraphs.clinical.prescriptions.registry import PrescriptionKeys
from subgraphs.common.app import ServiceState

__all__ = ["JWKS_PATH", "prescription_keys_router"]

JWKS_PATH = "/.well-known/prescription-keys.json"


def prescription_keys_router() -> APIRouter:
    """A router publishing every registered public key, so anyone can verify offline."""
    router = APIRouter(tags=["prescriptions"])

    @router.get(JWKS_PATH)
    async def prescription_keys(request: Request) -> JSONResponse:
        state: ServiceState = request.app.state.service
        async with state.database.session() as session:
            keys = await PrescriptionKeys.jwks(session)
        return JSONResponse({"keys": keys}, headers={"cache-control": "public, max-age=300"})

    return router
