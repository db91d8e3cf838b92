"""Test access tokens: one Ed25519 key pair, its static JWK Set, and ``mint()`` for any role.

Other subgraphs' tests install ``verifier()`` (or ``jwt_verifier_lifespan(JWKS)``) and send
``Authorization: Bearer {mint(role=Role.DOCTOR)}``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from subgraphs.common.context import Role
from subgraphs.common.settings import ServiceSettings
from subgraphs.common.tokens import JwtVerifier, StaticJwks, scope_claim

__all__ = [
    "AUDIENCE",
    "ISSUER",
    "JWKS",
    "KID",
    "PRIVATE_KEY",
    "authorization",
    "mint",
    "public_jwk",
    "verifier",
]

_DEFAULTS = ServiceSettings()
ISSUER = _DEFAULTS.jwt_issuer
AUDIENCE = _DEFAULTS.jwt_audience
KID = "test-ed25519-1"
PRIVATE_KEY = Ed25519PrivateKey.generate()


def public_jwk(private_key: Ed25519PrivateKey = PRIVATE_KEY, *, kid: str = KID) -> dict[str, Any]:
    """The public JWK of ``private_key``, pinned to EdDSA."""
    jwk: dict[str, Any] = OKPAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "alg": "EdDSA", "use": "sig"}


JWKS: Mapping[str, Any] = {"keys": [public_jwk()]}


def mint(
    *,
    role: Role = Role.DOCTOR,
    user_id: uuid.UUID | str | None = None,
    scopes: Iterable[str] | None = None,
    key: Any = PRIVATE_KEY,
    algorithm: str = "EdDSA",
    headers: Mapping[str, Any] | None = None,
    lifetime: int = 300,
    **overrides: Any,
) -> str:
    """A signed access token for ``role``; ``overrides`` replace claims (None removes one)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(user_id or uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        "jti": str(uuid.uuid4()),
        "role": role.value,
        "scope": " ".join(scopes) if scopes is not None else scope_claim(role),
    }
    for name, value in overrides.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    header = {"kid": KID, "typ": "at+jwt", **(headers or {})}
    return jwt.encode(claims, key, algorithm=algorithm, headers=header)


def authorization(**mint_args: Any) -> dict[str, str]:
    """An ``Authorization`` header carrying ``mint(**mint_args)``."""
    return {"authorization": f"Bearer {mint(**mint_args)}"}


def verifier() -> JwtVerifier:
    """A verifier that trusts exactly :data:`JWKS`."""
    return JwtVerifier(StaticJwks(JWKS), issuer=ISSUER, audience=AUDIENCE)
