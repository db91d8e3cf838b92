"""The one access-token verifier every subgraph and the router use (RFC 8725, RFC 9068).

Keys, JWK Sets, the revocation list and the verification itself live in :mod:`router.auth`, which
the router needs without importing a subgraph; this package adds the subgraphs' error type.
"""

from router.auth.jwks import JwksSource, RemoteJwks, StaticJwks
from router.auth.keys import ALLOWED_ALGORITHMS, VerificationKey, parse_jwks
from router.auth.revocation import RedisRevocationList, RevocationList
from subgraphs.common.tokens.lifespan import install_verifier, jwt_verifier_lifespan
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
