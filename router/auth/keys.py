"""Verification keys from a JWK Set (RFC 7517), each pinned to one asymmetric algorithm (RFC 8725 3.1)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jwt import PyJWK
from jwt.exceptions import PyJWKError

__all__ = ["ALLOWED_ALGORITHMS", "JwksError", "VerificationKey", "parse_jwks"]

logger = logging.getLogger(__name__)

# Key type (and curve) -> the only algorithm a key of that type may verify. Symmetric ("oct") keys
# are never accepted, so a public key can never be used as an HMAC secret (RS/HS confusion).
ALLOWED_ALGORITHMS: Mapping[tuple[str, str | None], str] = {
    ("OKP", "Ed25519"): "EdDSA",
    ("RSA", None): "RS256",
}


class JwksError(ValueError):
    """A JWK Set document that is not one."""


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """One public key and the single algorithm it is pinned to."""

    kid: str
    algorithm: str
    key: Any  # the cryptography public key object PyJWT verifies with


def _pinned_algorithm(jwk: Mapping[str, Any]) -> str | None:
    kty = jwk.get("kty")
    crv = jwk.get("crv") if kty == "OKP" else None
    algorithm = ALLOWED_ALGORITHMS.get((str(kty), crv))
    if algorithm is None:
        return None
    declared = jwk.get("alg")
    if declared is not None and declared != algorithm:
        return None
    if jwk.get("use", "sig") != "sig":
        return None
    return algorithm


def parse_jwks(document: Mapping[str, Any]) -> dict[str, VerificationKey]:
    """The usable keys of a JWK Set document by ``kid``; keys without a kid or of other types are dropped."""
    keys: dict[str, VerificationKey] = {}
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise JwksError("a JWK Set must have a 'keys' list")
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        kid = entry.get("kid")
        algorithm = _pinned_algorithm(entry)
        if not isinstance(kid, str) or not kid or algorithm is None:
            logger.warning("ignoring JWK %r: no kid, or not an allowed signing key", kid)
            continue
        if "d" in entry or "p" in entry:
            # A private key in a public document is a publisher bug; never use it, never keep it.
            logger.warning("ignoring JWK %r: it carries private key material", kid)
            continue
        try:
            parsed = PyJWK(dict(entry), algorithm=algorithm)
        except PyJWKError:
            logger.warning("ignoring JWK %r: it does not parse", kid)
            continue
        keys[kid] = VerificationKey(kid=kid, algorithm=algorithm, key=parsed.key)
    return keys
