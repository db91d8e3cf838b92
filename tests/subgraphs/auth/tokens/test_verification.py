"""Issue 3 "Bad input": every forged or unusable token is UNAUTHENTICATED and writes nothing.

Each case is sent to the GraphQL API (a mutation that would write: ``enrollTotp``) and to
``POST /validate``. Revocation latency: the auth service itself refuses a disabled user's token at
once (it checks the user's status); other subgraphs refuse it at once through the Redis revocation
list (``jwt_verifier_lifespan()``), and only if Redis is unreachable accept it until it expires,
at most ``AUTH_ACCESS_TOKEN_TTL`` (600 s by default, 900 s at most).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from subgraphs.common.context import Role
from tests.subgraphs.auth.conftest import AuthService

ENROLL_SIGNED_IN = "mutation { enrollTotp { secret } }"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


async def _signed_token(auth: AuthService, **overrides: Any) -> str:
    """An access token signed with the service's real current key, claims overridden."""
    user = await auth.user("victim@example.org", Role.PATIENT)
    kid, key = await auth.runtime.keys.signing_key()
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": auth.settings.jwt_issuer,
        "aud": auth.settings.jwt_audience,
        "sub": str(user.id),
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": "j-1",
        "role": "PATIENT",
        "scope": "profile:read profile:write",
    }
    headers = {"kid": kid, "typ": "at+jwt", **overrides.pop("headers", {})}
    claims.update(overrides)
    return jwt.encode(claims, key, algorithm="EdDSA", headers=headers)


async def _valid_claims(auth: AuthService) -> tuple[str, dict[str, Any]]:
    token = await _signed_token(auth)
    return token, jwt.decode(token, options={"verify_signature": False})


async def forged_signature(auth: AuthService) -> str:
    token = await _signed_token(auth)
    kid = jwt.get_unverified_header(token)["kid"]
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode(
        claims,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": kid, "typ": "at+jwt"},
    )


async def alg_none(auth: AuthService) -> str:
    token, claims = await _valid_claims(auth)
    kid = jwt.get_unverified_header(token)["kid"]
    header = _b64(json.dumps({"alg": "none", "typ": "at+jwt", "kid": kid}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}."


async def hs256_with_public_key(auth: AuthService) -> str:
    token, claims = await _valid_claims(auth)
    kid = jwt.get_unverified_header(token)["kid"]
    _, private = await auth.runtime.keys.signing_key()
    public_raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    public_jwk_x = _b64(public_raw).encode()
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = _b64(json.dumps({"alg": "HS256", "typ": "at+jwt", "kid": kid}).encode())
    signing_input = f"{header}.{_b64(json.dumps(claims).encode())}".encode()
    secret = public_pem if len(public_pem) > len(public_jwk_x) else public_jwk_x
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return f"{signing_input.decode()}.{_b64(signature)}"


async def expired(auth: AuthService) -> str:
    now = int(time.time())
    return await _signed_token(auth, iat=now - 1200, nbf=now - 1200, exp=now - 120)


async def not_yet_valid(auth: AuthService) -> str:
    now = int(time.time())
    return await _signed_token(auth, nbf=now + 600, exp=now + 900)


async def wrong_issuer(auth: AuthService) -> str:
    return await _signed_token(auth, iss="https://issuer.invalid")


async def wrong_audience(auth: AuthService) -> str:
    return await _signed_token(auth, aud="someone-else")


async def unknown_kid(auth: AuthService) -> str:
    return await _signed_token(auth, headers={"kid": "no-such-key"})


async def refresh_token_as_access_token(auth: AuthService) -> str:
    await auth.user("holder@example.org")
    refresh: str = (await auth.sign_in("holder@example.org"))["refreshToken"]
    return refresh


async def mfa_token_as_access_token(auth: AuthService) -> str:
    await auth.user("mfa.holder@example.org", Role.DOCTOR)
    token: str = (await auth.login("mfa.holder@example.org"))["data"]["login"]["mfaToken"]
    return token


async def disabled_user(auth: AuthService) -> str:
    await auth.user("soon.gone@example.org")
    token: str = (await auth.sign_in("soon.gone@example.org"))["accessToken"]
    async with auth.runtime.database.transaction() as session:
        from sqlalchemy import text

        connection = await session.connection()
        await connection.execute(
            text(
                "UPDATE auth_user SET status = 'DISABLED' WHERE email_normalized = 'soon.gone@example.org'"
            )
        )
    return token


CASES: dict[str, Callable[[AuthService], Awaitable[str]]] = {
    "forged signature": forged_signature,
    "alg none": alg_none,
    "HS256 signed with the public key": hs256_with_public_key,
    "expired": expired,
    "not yet valid": not_yet_valid,
    "wrong issuer": wrong_issuer,
    "wrong audience": wrong_audience,
    "unknown kid": unknown_kid,
    "refresh token as access token": refresh_token_as_access_token,
    "mfa token as access token": mfa_token_as_access_token,
    "access token of a disabled user": disabled_user,
}


@pytest.mark.parametrize("case", list(CASES))
async def test_bad_token_is_unauthenticated_and_writes_nothing(
    auth: AuthService, case: str
) -> None:
    token = await CASES[case](auth)
    before = await auth.snapshot()
    graphql = await auth.gql(ENROLL_SIGNED_IN, token=token)
    assert graphql["_status"] == 401, graphql
    assert graphql["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    validate = await auth.client.post("/validate", json={"token": token})
    assert validate.status_code == 401
    assert validate.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await auth.snapshot() == before


async def test_the_good_token_is_accepted(auth: AuthService) -> None:
    """The control case: the same construction with nothing wrong works (and writes)."""
    token = await _signed_token(auth)
    body = await auth.gql(ENROLL_SIGNED_IN, token=token)
    assert body["data"]["enrollTotp"]["secret"]
    assert (await auth.client.post("/validate", json={"token": token})).status_code == 200
