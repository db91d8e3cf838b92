"""JWT authentication shared by the router and the subgraphs (RFC 7517, RFC 8725, RFC 9068)."""

from router.auth.authenticator import Authenticator, IssuerConfig, bearer_token
from router.auth.claims import Claims
from router.auth.jwks import JwksSource, RemoteJwks, StaticJwks
from router.auth.keys import ALLOWED_ALGORITHMS, JwksError, VerificationKey, parse_jwks
from router.auth.revocation import RedisRevocationList, RevocationList
from router.auth.verifier import (
    ACCESS_TOKEN_TYPE,
    CLOCK_SKEW_SECONDS,
    InvalidToken,
    JwtVerifier,
)

__all__ = [
    "ACCESS_TOKEN_TYPE",
    "ALLOWED_ALGORITHMS",
    "CLOCK_SKEW_SECONDS",
    "Authenticator",
    "Claims",
    "InvalidToken",
    "IssuerConfig",
    "JwksError",
    "JwksSource",
    "JwtVerifier",
    "RedisRevocationList",
    "RemoteJwks",
    "RevocationList",
    "StaticJwks",
    "VerificationKey",
    "bearer_token",
    "parse_jwks",
]
