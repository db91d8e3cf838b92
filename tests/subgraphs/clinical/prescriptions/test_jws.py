"""Compact JWS with EdDSA: attached and detached forms, tampering, RFC 8725 refusals."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from subgraphs.clinical.prescriptions.jws import (
    MalformedJws,
    detach,
    parse_jws,
    sign_jws,
    signature_matches,
)
from subgraphs.clinical.prescriptions.keys import SigningKey, public_key_from_jwk


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.of(Ed25519PrivateKey.generate())


def _resolver(key: SigningKey) -> dict[str, Ed25519PublicKey]:
    return {key.kid: key.private_key.public_key()}


def test_rfc_8037_example_verifies() -> None:
    # RFC 8037, Appendix A.4/A.5: "Example of Ed25519 signing" under the example key.
    jws = (
        "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
    )
    public = public_key_from_jwk(
        {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    )
    parsed = parse_jws(jws)
    assert parsed.payload == b"Example of Ed25519 signing"
    assert signature_matches(parsed, lambda _: public)


def test_attached_and_detached_round_trip(key: SigningKey) -> None:
    jws = sign_jws(b'{"a":1}', key, typ="test+jws")
    parsed = parse_jws(jws)
    assert parsed.header == {"alg": "EdDSA", "kid": key.kid, "typ": "test+jws"}
    assert signature_matches(parsed, _resolver(key).get)
    detached = detach(jws)
    assert detached.split(".")[1] == ""
    assert signature_matches(parse_jws(detached, detached_payload=b'{"a":1}'), _resolver(key).get)
    assert not signature_matches(
        parse_jws(detached, detached_payload=b'{"a":2}'), _resolver(key).get
    )
    with pytest.raises(MalformedJws, match="detached"):
        parse_jws(detached)


def test_tampered_payload_or_unknown_key_fails(key: SigningKey) -> None:
    header, _, signature = sign_jws(b'{"qty":10}', key, typ="t").split(".")
    changed = _b64(b'{"qty":90}')
    forged = f"{header}.{changed}.{signature}"
    assert not signature_matches(parse_jws(forged), _resolver(key).get)
    other = SigningKey.of(Ed25519PrivateKey.generate())
    assert not signature_matches(parse_jws(sign_jws(b"x", other, typ="t")), _resolver(key).get)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ({"alg": "none"}, "only alg EdDSA"),
        ({"alg": "HS256", "kid": "k"}, "only alg EdDSA"),
        ({"alg": "EdDSA", "crit": ["exp"]}, "critical"),
    ],
)
def test_refused_headers(header: dict[str, object], message: str) -> None:
    jws = f"{_b64(json.dumps(header).encode())}.{_b64(b'x')}.{_b64(b'sig')}"
    with pytest.raises(MalformedJws, match=message):
        parse_jws(jws)


@pytest.mark.parametrize("text", ["", "a.b", "a.b.c.d", "!!!.e30.sig", "e30=.e30.e30"])
def test_malformed_text(text: str) -> None:
    with pytest.raises(MalformedJws):
        parse_jws(text)
