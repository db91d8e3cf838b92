"""JWT at the router's edge (RFC 8725): the attack set, revocation and key rotation, through the router."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from redis.asyncio import Redis

from router.auth import RedisRevocationList
from subgraphs.common.context import Role
from tests.router.hospital import Hospital, build_hospital
from tests.router.jwks import JwksServer, secured_router
from tests.router.loopback import sample_sdl, serve
from tests.support.tokens import AUDIENCE, ISSUER, KID, PRIVATE_KEY, mint

QUERY = '{ patient(id: "p1") { name } }'


def _router(
    hospital: Hospital, jwks: JwksServer, **settings: Any
) -> contextlib.AbstractAsyncContextManager[httpx.AsyncClient]:
    return secured_router(sample_sdl(), hospital.as_dict(), jwks, **settings)


@pytest.fixture(scope="module")
def hospital() -> Hospital:
    return build_hospital()


@pytest.fixture(scope="module")
def jwks() -> JwksServer:
    return JwksServer()


@pytest.fixture(scope="module")
async def router(
    hospital: Hospital, jwks: JwksServer, redis_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with _router(hospital, jwks, revocation_redis_url=redis_url) as client:
        yield client


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
        "role": "DOCTOR",
        "scope": "patients:read",
        **overrides,
    }


def _unsigned(header: dict[str, Any], claims: dict[str, Any], secret: bytes | None) -> str:
    """A token built by hand: ``alg: none`` (no signature) or HS256 with ``secret``."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    if secret is None:
        return signing_input + "."
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _public_key_bytes() -> list[bytes]:
    public = PRIVATE_KEY.public_key()
    return [
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
    ]


async def _refused(client: httpx.AsyncClient, hospital: Hospital, authorization: str) -> None:
    hospital.reset()
    response = await client.post(
        "/graphql", json={"query": QUERY}, headers={"authorization": authorization}
    )
    assert response.status_code == 401, response.text
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert hospital.patients.requests == []  # refused before any subgraph call


async def test_no_token_is_anonymous_and_a_valid_one_passes(
    router: httpx.AsyncClient, hospital: Hospital
) -> None:
    hospital.reset()
    anonymous = await router.post("/graphql", json={"query": QUERY})
    assert anonymous.json() == {"data": {"patient": {"name": "Ada Example"}}}
    assert "authorization" not in hospital.patients.headers[0]
    token = mint(role=Role.DOCTOR)
    signed = await router.post(
        "/graphql", json={"query": QUERY}, headers={"authorization": f"Bearer {token}"}
    )
    assert signed.json() == {"data": {"patient": {"name": "Ada Example"}}}
    assert hospital.patients.headers[-1]["authorization"] == f"Bearer {token}"


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda: _unsigned({"alg": "none", "kid": KID, "typ": "at+jwt"}, _claims(), None), id="alg-none"),
        pytest.param(lambda: _unsigned({"alg": "HS256", "kid": KID, "typ": "at+jwt"}, _claims(), _public_key_bytes()[0]), id="hs256-with-public-pem"),
        pytest.param(lambda: _unsigned({"alg": "HS256", "kid": KID, "typ": "at+jwt"}, _claims(), _public_key_bytes()[1]), id="hs256-with-public-raw"),
        pytest.param(lambda: mint(exp=int(time.time()) - 120, iat=int(time.time()) - 600, nbf=int(time.time()) - 600), id="expired"),
        pytest.param(lambda: mint(nbf=int(time.time()) + 120), id="not-yet-valid"),
        pytest.param(lambda: mint(iss="https://issuer.example"), id="wrong-iss"),
        pytest.param(lambda: mint(aud="another-api"), id="wrong-aud"),
        pytest.param(lambda: mint(headers={"typ": "JWT"}), id="wrong-typ"),
        pytest.param(lambda: mint(headers={"kid": "unknown-kid"}, key=Ed25519PrivateKey.generate()), id="unknown-kid"),
        pytest.param(lambda: mint(key=Ed25519PrivateKey.generate()), id="forged-signature"),
        pytest.param(lambda: mint(sub=None), id="no-sub"),
        pytest.param(lambda: "not.a.token", id="garbage"),
    ],
)  # fmt: skip
async def test_the_attack_set_is_refused_with_401(
    router: httpx.AsyncClient, hospital: Hospital, token: Any
) -> None:
    await _refused(router, hospital, f"Bearer {token()}")


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "token"])
async def test_a_malformed_authorization_header_is_refused(
    router: httpx.AsyncClient, hospital: Hospital, header: str
) -> None:
    await _refused(router, hospital, header)


@pytest.mark.parametrize("name", ["jku", "x5u"])
async def test_jku_and_x5u_are_never_followed(
    router: httpx.AsyncClient, hospital: Hospital, name: str
) -> None:
    attacker_key = Ed25519PrivateKey.generate()
    attacker = JwksServer(keys={"attacker": attacker_key})
    async with serve(attacker.app()) as attacker_url:
        url = f"{attacker_url}/.well-known/jwks.json"
        token = mint(key=attacker_key, headers={"kid": "attacker", name: url})
        await _refused(router, hospital, f"Bearer {token}")
    assert attacker.fetches == 0


async def test_a_revoked_token_is_refused(
    router: httpx.AsyncClient, hospital: Hospital, redis_url: str
) -> None:
    user_id = str(uuid.uuid4())
    token = mint(user_id=user_id)
    headers = {"authorization": f"Bearer {token}"}
    assert (
        await router.post("/graphql", json={"query": QUERY}, headers=headers)
    ).status_code == 200
    redis = Redis.from_url(redis_url)
    try:
        await RedisRevocationList(redis).revoke_user(user_id, ttl=60)  # what auth writes
    finally:
        await redis.aclose()
    await _refused(router, hospital, f"Bearer {token}")


async def test_unknown_kids_refresh_the_key_set_at_most_once_per_interval(
    router: httpx.AsyncClient, hospital: Hospital, jwks: JwksServer
) -> None:
    await router.post(
        "/graphql", json={"query": QUERY}, headers={"authorization": f"Bearer {mint()}"}
    )
    before = jwks.fetches
    for _ in range(10):
        token = mint(headers={"kid": f"made-up-{uuid.uuid4()}"})
        await _refused(router, hospital, f"Bearer {token}")
    assert jwks.fetches - before <= 1


async def test_key_rotation_needs_no_restart(hospital: Hospital) -> None:
    old_key, new_key = PRIVATE_KEY, Ed25519PrivateKey.generate()
    jwks = JwksServer()
    settings = {"jwks_refresh_interval": 0.2, "jwks_min_refresh_interval": 0.05}
    async with _router(hospital, jwks, **settings) as client:
        old = mint(key=old_key)
        ok = await client.post(
            "/graphql", json={"query": QUERY}, headers={"authorization": f"Bearer {old}"}
        )
        assert ok.status_code == 200
        # auth publishes a new key, signs with it, then retires the old one from its JWK Set
        jwks.keys["rotated-2"] = new_key
        await asyncio.sleep(0.1)
        new = mint(key=new_key, headers={"kid": "rotated-2"})
        fresh = await client.post(
            "/graphql", json={"query": QUERY}, headers={"authorization": f"Bearer {new}"}
        )
        assert fresh.status_code == 200, fresh.text
        del jwks.keys[KID]
        await asyncio.sleep(0.5)  # the scheduled refresh drops the retired key
        await _refused(client, hospital, f"Bearer {old}")


async def test_claims_travel_as_headers_and_a_client_cannot_forge_them(hospital: Hospital) -> None:
    settings: dict[str, Any] = {
        "claim_headers": {"x-user-id": "sub", "x-user-role": "role"},
        # even were the client's header propagated, the router replaces or drops it
        "propagate_headers": ["authorization", "x-user-id"],
    }
    async with _router(hospital, JwksServer(), **settings) as client:
        hospital.reset()
        user_id = str(uuid.uuid4())
        forged = {"x-user-id": "someone-else"}
        await client.post("/graphql", json={"query": QUERY}, headers=forged)
        token = mint(user_id=user_id, role=Role.STAFF)
        await client.post(
            "/graphql",
            json={"query": QUERY},
            headers={**forged, "authorization": f"Bearer {token}"},
        )
    anonymous, signed_in = hospital.patients.headers
    assert "x-user-id" not in anonymous
    assert "x-user-role" not in anonymous
    assert signed_in["x-user-id"] == user_id
    assert signed_in["x-user-role"] == "STAFF"


async def test_an_oversized_token_is_refused_unread(
    router: httpx.AsyncClient, hospital: Hospital
) -> None:
    await _refused(router, hospital, "Bearer " + "a" * 9000 + ".b.c")


async def test_several_issuers_each_verify_with_their_own_keys(hospital: Hospital) -> None:
    partner_key = Ed25519PrivateKey.generate()
    partner = JwksServer(keys={"partner-1": partner_key})
    async with serve(partner.app()) as partner_url:
        issuers = [
            {
                "issuer": "https://partner.example",
                "jwks_url": f"{partner_url}/.well-known/jwks.json",
                "audience": "healthgraph-partner",
            }
        ]
        async with _router(hospital, JwksServer(), jwt_issuers=issuers) as client:
            headers = {"kid": "partner-1"}
            ok = mint(
                key=partner_key,
                headers=headers,
                iss="https://partner.example",
                aud="healthgraph-partner",
            )
            response = await client.post(
                "/graphql", json={"query": QUERY}, headers={"authorization": f"Bearer {ok}"}
            )
            assert response.status_code == 200, response.text
            assert (
                await client.post(
                    "/graphql", json={"query": QUERY}, headers={"authorization": f"Bearer {mint()}"}
                )
            ).status_code == 200  # the first issuer still works
            # the partner's key cannot sign for our issuer, nor our audience for theirs
            for token in (
                mint(key=partner_key, headers=headers),
                mint(key=partner_key, headers=headers, iss="https://partner.example"),
            ):
                await _refused(client, hospital, f"Bearer {token}")
