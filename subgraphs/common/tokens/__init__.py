"""The one access-token verifier every subgraph and the router use (RFC 8725, RFC 9068)."""

from subgraphs.common.tokens.jwks import JwksSource, RemoteJwks, StaticJwks
from subgraphs.common.tokens.keys import ALLOWED_ALGORITHMS, VerificationKey, parse_jwks
from subgraphs.common.tokens.lifespan import install_verifier, jwt_verifier_lifespan
from subgraphs.common.tokens.revocation import RedisRevocationList, RevocationList
from subgraphs.common.tokens.scopes import SCOPES_BY_ROLE, Scope, scope_claim
from subgraphs.common.tokens.verifier import ACCESS_TOKEN_TYPE, CLOCK_SKEW_SECONDS, JwtVerifier

__all__ = [
    "ACCESS_TOKEN_TYPE",
    "ALLOWED_ALGORITHMS",
    "CLOCK_SKEW_SECONDS",
    "SCOPES_BY_ROLE",
    "JwksSource",
    "JwtVerifier",
    "RedisRevocationList",
    "RemoteJwks",
    "RevocationList",
    "Scope",
    "StaticJwks",
    "VerificationKey",
    "install_verifier",
    "jwt_verifier_lifespan",
    "parse_jwks",
    "scope_claim",
]
