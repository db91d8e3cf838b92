"""Test support: an issuer's JWK Set served on loopback, with keys that can rotate (synthetic users)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.router.loopback import FakeSubgraph, serve, serve_router
from tests.support.tokens import AUDIENCE, ISSUER, KID, PRIVATE_KEY, public_jwk

__all__ = ["JwksServer", "secured_router"]


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


@contextlib.asynccontextmanager
async def secured_router(
    supergraph_sdl: str,
    subgraphs: Mapping[str, FakeSubgraph],
    jwks: JwksServer | None = None,
    **settings: Any,
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a router in front of ``subgraphs`` that trusts ``jwks`` (tests' issuer)."""
    async with (
        serve((jwks or JwksServer()).app()) as issuer_url,
        serve_router(
            supergraph_sdl,
            subgraphs,
            jwks_url=f"{issuer_url}/.well-known/jwks.json",
            jwt_issuer=ISSUER,
            jwt_audience=AUDIENCE,
            **settings,
        ) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        yield client
