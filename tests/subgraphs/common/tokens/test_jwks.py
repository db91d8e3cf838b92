"""The remote JWK Set: fetched from its one URL, cached, refreshed on an unknown kid at most once per interval."""

from __future__ import annotations

from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from subgraphs.common.errors import Unauthenticated
from subgraphs.common.tokens import JwtVerifier, RemoteJwks
from tests.support.tokens import AUDIENCE, ISSUER, KID, mint, public_jwk

JWKS_URL = "https://auth.test/.well-known/jwks.json"


class KeyServer:
    """An HTTP key server (served through httpx's transport hook) that records every request."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = [public_jwk()]
        self.requests: list[str] = []
        self.failing = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        if self.failing:
            return httpx.Response(503)
        return httpx.Response(200, json={"keys": self.keys})

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.handle))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _verifier(server: KeyServer, clock: Clock) -> JwtVerifier:
    jwks = RemoteJwks(
        JWKS_URL, client=server.client(), clock=clock, min_refresh_interval=30, max_age=300
    )
    return JwtVerifier(jwks, issuer=ISSUER, audience=AUDIENCE)


async def _fails(verifier: JwtVerifier, token: str) -> None:
    try:
        await verifier.verify(token)
    except Unauthenticated:
        return
    raise AssertionError("token accepted")


async def test_keys_are_fetched_once_and_cached() -> None:
    server, clock = KeyServer(), Clock()
    verifier = _verifier(server, clock)
    for _ in range(5):
        await verifier.verify(mint())
    assert server.requests == [JWKS_URL]


async def test_unknown_kid_refreshes_at_most_once_per_interval() -> None:
    server, clock = KeyServer(), Clock()
    verifier = _verifier(server, clock)
    await verifier.verify(mint())
    for index in range(20):
        await _fails(verifier, mint(headers={"kid": f"made-up-{index}"}))
    assert len(server.requests) == 1  # the first fetch was < 30 s ago
    clock.now += 31
    await _fails(verifier, mint(headers={"kid": "made-up-again"}))
    await _fails(verifier, mint(headers={"kid": "and-again"}))
    assert len(server.requests) == 2


async def test_rotated_key_is_picked_up_on_its_first_token() -> None:
    server, clock = KeyServer(), Clock()
    verifier = _verifier(server, clock)
    await verifier.verify(mint())
    new_key = Ed25519PrivateKey.generate()
    server.keys.append(public_jwk(new_key, kid="rotated"))
    clock.now += 31
    await verifier.verify(mint(key=new_key, headers={"kid": "rotated"}))
    await verifier.verify(mint())  # the old key still verifies its tokens
    assert len(server.requests) == 2


async def test_stale_cache_is_refreshed() -> None:
    server, clock = KeyServer(), Clock()
    verifier = _verifier(server, clock)
    await verifier.verify(mint())
    clock.now += 301
    await verifier.verify(mint())
    assert len(server.requests) == 2


async def test_key_server_outage_keeps_the_cached_keys() -> None:
    server, clock = KeyServer(), Clock()
    verifier = _verifier(server, clock)
    await verifier.verify(mint())
    server.failing = True
    clock.now += 301
    await verifier.verify(mint())
    assert len(server.requests) == 2


async def test_no_keys_at_all_is_unauthenticated() -> None:
    server, clock = KeyServer(), Clock()
    server.failing = True
    await _fails(_verifier(server, clock), mint())


async def test_jku_and_x5u_are_never_fetched() -> None:
    server, clock = KeyServer(), Clock()
    verifier = _verifier(server, clock)
    attacker = Ed25519PrivateKey.generate()
    token = mint(
        key=attacker,
        headers={
            "kid": "attacker",
            "jku": "https://evil.test/jwks.json",
            "x5u": "https://evil.test/cert.pem",
        },
    )
    await _fails(verifier, token)
    assert server.requests == [JWKS_URL]


async def test_kid_is_not_a_url_or_path() -> None:
    server, clock = KeyServer(), Clock()
    verifier = _verifier(server, clock)
    await _fails(verifier, mint(headers={"kid": "https://evil.test/key"}))
    await _fails(verifier, mint(headers={"kid": "../../etc/passwd"}))
    assert server.requests == [JWKS_URL]
    assert KID  # the real key's kid is an opaque name
