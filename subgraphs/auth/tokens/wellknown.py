"""``/.well-known/jwks.json`` (RFC 7517) and ``/.well-known/openid-configuration`` (OIDC Discovery 1.0)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from subgraphs.auth.runtime import RuntimeDep
from subgraphs.auth.tokens.keys import ALGORITHM

__all__ = ["wellknown_router"]


def wellknown_router() -> APIRouter:
    router = APIRouter(tags=["discovery"])

    @router.get("/.well-known/jwks.json", summary="The public keys that verify our access tokens")
    async def jwks(runtime: RuntimeDep) -> JSONResponse:
        return JSONResponse(
            await runtime.keys.jwks(),
            headers={"cache-control": "public, max-age=300"},
            media_type="application/jwk-set+json",
        )

    @router.get("/.well-known/openid-configuration", summary="Issuer metadata")
    async def openid_configuration(runtime: RuntimeDep) -> JSONResponse:
        settings = runtime.settings
        # Discovery lives at the issuer (OIDC Discovery 1.0 §4), and so do these endpoints; the
        # browser-facing public URL (the router, for the OAuth round trip) does not serve them.
        base = settings.jwt_issuer.rstrip("/")
        return JSONResponse(
            {
                "issuer": settings.jwt_issuer,
                "jwks_uri": f"{base}/.well-known/jwks.json",
                "token_endpoint": f"{base}/login",
                "introspection_endpoint": f"{base}/validate",
                "grant_types_supported": ["password", "refresh_token"],
                "response_types_supported": ["token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": [ALGORITHM],
                "token_endpoint_auth_methods_supported": ["none"],
                "scopes_supported": sorted(
                    {scope for scopes in _scopes().values() for scope in scopes}
                ),
                "claims_supported": [
                    "iss",
                    "aud",
                    "sub",
                    "exp",
                    "iat",
                    "nbf",
                    "jti",
                    "role",
                    "scope",
                ],
            },
            headers={"cache-control": "public, max-age=300"},
        )

    return router


def _scopes() -> dict[str, list[str]]:
    from subgraphs.common.tokens import SCOPES_BY_ROLE

    return {role.value: sorted(scopes) for role, scopes in SCOPES_BY_ROLE.items()}
