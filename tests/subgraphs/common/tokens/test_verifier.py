"""The JWT verifier refuses every token RFC 8725 says it must (and accepts only ours)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, generate_private_key
from jwt.algorithms import RSAAlgorithm

from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import Unauthenticated
from subgraphs.common.tokens import JwtVerifier, StaticJwks, parse_jwks
from tests.support.tokens import AUDIENCE, ISSUER, JWKS, KID, mint, public_jwk, verifier


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = _b64(json.dumps(header).encode())
    body = _b64(json.dumps(claims).encode())
    return f"{head}.{body}.{_b64(signature)}"


def _claims(**overrides: Any) -> dict[str, Any]:
    return jwt.decode(mint(**overrides), options={"verify_signature": False})


@pytest.fixture(scope="module")
def rsa_key() -> RSAPrivateKey:
    return generate_private_key(public_exponent=65537, key_size=2048)


def _rsa_verifier(rsa_key: RSAPrivateKey) -> JwtVerifier:
    jwk = RSAAlgorithm.to_jwk(rsa_key.public_key(), as_dict=True)
    return JwtVerifier(
        StaticJwks({"keys": [{**jwk, "kid": "rsa-1", "use": "sig"}]}),
        issuer=ISSUER,
        audience=AUDIENCE,
    )


async def _rejected(token: str, verifier_: JwtVerifier | None = None) -> str:
    with pytest.raises(Unauthenticated) as caught:
        await (verifier_ or verifier()).verify(token)
    return caught.value.message


async def test_valid_eddsa_token_gives_a_caller() -> None:
    claims = await verifier().verify(mint(role=Role.STAFF))
    caller = Caller.from_claims(claims)
    assert caller.role is Role.STAFF
    assert "appointments:write" in caller.scopes
    assert caller.token_id == claims["jti"]


async def test_valid_rs256_token(rsa_key: RSAPrivateKey) -> None:
    token = mint(key=rsa_key, algorithm="RS256", headers={"kid": "rsa-1"})
    assert (await _rsa_verifier(rsa_key).verify(token))["aud"] == AUDIENCE


async def test_forged_signature() -> None:
    assert await _rejected(mint(key=Ed25519PrivateKey.generate())) == "Invalid access token."


async def test_tampered_claims() -> None:
    head, _, rest = mint(role=Role.PATIENT).partition(".")
    _, _, signature = rest.partition(".")
    forged_body = _b64(json.dumps(_claims(role=Role.ADMIN)).encode())
    await _rejected(f"{head}.{forged_body}.{signature}")


async def test_alg_none() -> None:
    for alg in ("none", "None", "NONE"):
        await _rejected(_unsigned({"alg": alg, "typ": "at+jwt", "kid": KID}, _claims()))


async def test_hs256_signed_with_the_rsa_public_key(rsa_key: RSAPrivateKey) -> None:
    """RS/HS confusion: HMAC keyed with the PEM (and DER) of the public key."""
    public = rsa_key.public_key()
    secrets = [
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    ]
    for secret in secrets:
        header = {"alg": "HS256", "typ": "at+jwt", "kid": "rsa-1"}
        unsigned = _unsigned(header, _claims())
        signing_input = unsigned.rsplit(".", 1)[0].encode()
        signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
        await _rejected(f"{signing_input.decode()}.{_b64(signature)}", _rsa_verifier(rsa_key))


async def test_hs256_signed_with_the_ed25519_public_key() -> None:
    secret = base64.urlsafe_b64decode(public_jwk()["x"] + "=")
    unsigned = _unsigned({"alg": "HS256", "typ": "at+jwt", "kid": KID}, _claims())
    signing_input = unsigned.rsplit(".", 1)[0].encode()
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    await _rejected(f"{signing_input.decode()}.{_b64(signature)}")


async def test_other_algorithm_on_a_pinned_key(rsa_key: RSAPrivateKey) -> None:
    for alg in ("RS512", "PS256"):
        token = mint(key=rsa_key, algorithm=alg, headers={"kid": "rsa-1"})
        await _rejected(token, _rsa_verifier(rsa_key))


async def test_expired() -> None:
    now = int(time.time())
    message = await _rejected(mint(exp=now - 61, iat=now - 400, nbf=now - 400))
    assert message == "The access token has expired."


async def test_expiry_within_the_clock_skew_is_accepted() -> None:
    now = int(time.time())
    await verifier().verify(mint(exp=now - 30, iat=now - 300, nbf=now - 300))


async def test_not_yet_valid() -> None:
    now = int(time.time())
    await _rejected(mint(nbf=now + 120, iat=now, exp=now + 600))


async def test_not_before_within_the_clock_skew_is_accepted() -> None:
    now = int(time.time())
    await verifier().verify(mint(nbf=now + 30, iat=now, exp=now + 600))


async def test_issued_in_the_future() -> None:
    now = int(time.time())
    await _rejected(mint(iat=now + 300, exp=now + 600))


async def test_wrong_issuer() -> None:
    await _rejected(mint(iss="https://evil.example"))


async def test_wrong_audience() -> None:
    await _rejected(mint(aud="billing-partner"))
    await _rejected(mint(aud=["billing-partner", "other"]))


async def test_audience_list_containing_ours_is_accepted() -> None:
    await verifier().verify(mint(aud=["other", AUDIENCE]))


async def test_unknown_kid() -> None:
    await _rejected(mint(headers={"kid": "no-such-key"}))


async def test_missing_kid() -> None:
    token = jwt.encode(
        _claims(), Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"typ": "at+jwt"}
    )
    await _rejected(token)


@pytest.mark.parametrize("typ", [None, "JWT", "mfa+jwt", "application/jwt"])
async def test_wrong_or_missing_typ(typ: str | None) -> None:
    token = jwt.encode(
        _claims(), _private_key(), algorithm="EdDSA", headers={"kid": KID, "typ": typ}
    )
    if typ is None:
        header, _, rest = token.partition(".")
        decoded = json.loads(base64.urlsafe_b64decode(header + "=="))
        decoded.pop("typ", None)
        token = f"{_b64(json.dumps(decoded).encode())}.{rest}"
    await _rejected(token)


def _private_key() -> Ed25519PrivateKey:
    from tests.support.tokens import PRIVATE_KEY

    return PRIVATE_KEY


async def test_application_at_jwt_typ_is_accepted() -> None:
    await verifier().verify(mint(headers={"typ": "application/at+jwt"}))


@pytest.mark.parametrize("claim", ["iss", "aud", "sub", "exp", "iat", "nbf", "jti"])
async def test_required_claim_missing(claim: str) -> None:
    await _rejected(mint(**{claim: None}))


@pytest.mark.parametrize(
    "token",
    ["", "opaque-refresh-token-abc123", "a.b", "a.b.c", "x" * 9000, "Zm9v.YmFy.YmF6"],
)
async def test_not_a_jwt(token: str) -> None:
    await _rejected(token)


async def test_refresh_token_shape_is_rejected() -> None:
    """Our refresh tokens are opaque random strings; one presented as an access token fails."""
    import secrets

    await _rejected(secrets.token_urlsafe(32))


async def test_embedded_jwk_header_is_not_trusted() -> None:
    attacker = Ed25519PrivateKey.generate()
    token = mint(key=attacker, headers={"jwk": public_jwk(attacker), "kid": "attacker"})
    await _rejected(token)


def test_clock_skew_is_capped() -> None:
    with pytest.raises(ValueError, match="clock skew"):
        JwtVerifier(StaticJwks(JWKS), issuer=ISSUER, audience=AUDIENCE, leeway=300)


def test_jwks_drops_symmetric_mismatched_and_private_keys(rsa_key: RSAPrivateKey) -> None:
    rsa = RSAAlgorithm.to_jwk(rsa_key.public_key(), as_dict=True)
    rsa_private = RSAAlgorithm.to_jwk(rsa_key, as_dict=True)
    document = {
        "keys": [
            {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
            {**rsa, "kid": "rsa-hs", "alg": "HS256"},
            {**rsa, "kid": "rsa-enc", "use": "enc"},
            {**rsa, "kid": "rsa-512", "alg": "RS512"},
            {**rsa_private, "kid": "rsa-private"},
            {**rsa},
            "not a key",
            {**rsa, "kid": "rsa-ok"},
            public_jwk(),
        ]
    }
    keys = parse_jwks(document)
    assert {kid: key.algorithm for kid, key in keys.items()} == {"rsa-ok": "RS256", KID: "EdDSA"}


def test_jwks_without_keys_is_an_error() -> None:
    with pytest.raises(ValueError, match="keys"):
        parse_jwks({"nope": []})
