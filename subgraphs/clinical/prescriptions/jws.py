"""JWS compact serialisation with EdDSA/Ed25519 (RFC 7515 §7.1, RFC 8037), attached or detached.

The attached form is ``header.payload.signature``. The detached form (RFC 7515 Appendix F) is
``header..signature`` and travels next to the payload; both sign
``base64url(header) + "." + base64url(payload)``. Verification follows RFC 8725: only
``EdDSA`` is accepted, keys come from our own registry by ``kid`` (never from ``jku``/``x5u``),
and any ``crit`` header is refused.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from subgraphs.clinical.prescriptions.keys import SigningKey
from subgraphs.common.canonical import canonical_json

__all__ = [
    "ALGORITHM",
    "MalformedJws",
    "ParsedJws",
    "detach",
    "parse_jws",
    "sign_jws",
    "signature_matches",
]

ALGORITHM = "EdDSA"


class MalformedJws(ValueError):
    """The text is not a compact JWS at all (as opposed to one whose signature fails)."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64url(text: str) -> bytes:
    if "=" in text:
        raise MalformedJws("base64url segments carry no padding")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedJws("a segment is not base64url") from exc


def sign_jws(payload: bytes, key: SigningKey, *, typ: str) -> str:
    """The attached compact JWS of ``payload`` signed with ``key``."""
    header = canonical_json({"alg": ALGORITHM, "kid": key.kid, "typ": typ})
    signing_input = f"{_b64url(header)}.{_b64url(payload)}"
    signature = key.private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{_b64url(signature)}"


def detach(jws: str) -> str:
    """The detached form of an attached compact JWS (payload segment emptied)."""
    header, _, rest = jws.partition(".")
    _, _, signature = rest.partition(".")
    return f"{header}..{signature}"


@dataclass(frozen=True, slots=True)
class ParsedJws:
    """A structurally valid JWS whose signature has not been checked yet."""

    header: dict[str, Any]
    payload: bytes
    signing_input: bytes
    signature: bytes

    @property
    def kid(self) -> str:
        return str(self.header.get("kid", ""))


def parse_jws(jws: str, *, detached_payload: bytes | None = None) -> ParsedJws:
    """Split and decode ``jws``; with ``detached_payload``, ``jws`` must be in detached form.

    Raises :class:`MalformedJws` for anything that is not a compact EdDSA JWS we could verify.
    """
    parts = jws.strip().split(".")
    if len(parts) != 3:
        raise MalformedJws("a compact JWS has three dot-separated segments")
    header_b64, payload_b64, signature_b64 = parts
    try:
        header = json.loads(_unb64url(header_b64))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise MalformedJws("the protected header is not JSON") from exc
    if not isinstance(header, dict):
        raise MalformedJws("the protected header is not a JSON object")
    if header.get("alg") != ALGORITHM:
        raise MalformedJws(f"only alg {ALGORITHM} is accepted")
    if "crit" in header:
        raise MalformedJws("critical header extensions are not supported")
    if detached_payload is not None:
        if payload_b64:
            raise MalformedJws("give either an attached JWS or a detached one with its payload")
        payload_b64 = _b64url(detached_payload)
    elif not payload_b64:
        raise MalformedJws("this JWS is detached: its payload must be given too")
    return ParsedJws(
        header=header,
        payload=_unb64url(payload_b64),
        signing_input=f"{header_b64}.{payload_b64}".encode("ascii"),
        signature=_unb64url(signature_b64),
    )


def signature_matches(parsed: ParsedJws, key_for: Callable[[str], Ed25519PublicKey | None]) -> bool:
    """True when the signature verifies under the registered key named by ``kid``."""
    public_key = key_for(parsed.kid)
    if public_key is None:
        return False
    try:
        public_key.verify(parsed.signature, parsed.signing_input)
    except InvalidSignature:
        return False
    return True
