"""Test support: an issuer's JWK Set served on loopback, with keys that can rotate (synthetic users)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.tokens import KID, PRIVATE_KEY, public_jwk

__all__ = ["JwksServer"]


@dataclass
class JwksServer:
    """``/.well-known/jwks.json`` publishing ``keys`` (kid -> private key); counts its fetches."""

    keys: dict[str, Ed25519PrivateKey] = field(default_factory=lambda: {KID: PRIVATE_KEY})
    fetches: int = 0

    def document(self) -> dict[str, Any]:
        return {"keys": [public_jwk(key, kid=kid) for kid, key in self.keys.items()]}

    def app(self) -> Starlette:
        async def jwks(_: Request) -> JSONResponse:
            self.fetches += 1
            return JSONResponse(self.document())

        return Starlette(routes=[Route("/.well-known/jwks.json", jwks)])
