"""The router tells subgraphs who the client is: X-Forwarded-For and Forwarded from the TCP peer."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator

import httpx
import pytest

from router.http.forwarded import FORWARDED_SIGNATURE_HEADER, ForwardedHeaders
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve_router

SECRET = "router-and-auth-share-this"
QUERY = {"query": '{ patient(id: "p1") { name } }'}


@pytest.fixture
async def router(hospital: Hospital) -> AsyncIterator[str]:
    hospital.reset()
    async with serve_router(
        sample_sdl(),
        hospital.as_dict(),
        trusted_proxies=["127.0.0.9"],
        forwarded_secret=SECRET,
    ) as url:
        yield url


async def _send_from(
    router: str, local_address: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    transport = httpx.AsyncHTTPTransport(local_address=local_address)
    async with httpx.AsyncClient(transport=transport, base_url=router, timeout=10) as client:
        return await client.post("/graphql", json=QUERY, headers=headers or {})


def _signature(forwarded_for: str) -> str:
    return hmac.new(SECRET.encode(), forwarded_for.encode(), hashlib.sha256).hexdigest()


async def test_the_peer_is_forwarded_and_a_clients_own_headers_are_dropped(
    router: str, hospital: Hospital
) -> None:
    forged = {
        "x-forwarded-for": "203.0.113.66",
        "forwarded": "for=203.0.113.66",
        FORWARDED_SIGNATURE_HEADER: "0" * 64,
    }
    response = await _send_from(router, "127.0.0.7", forged)
    assert response.json() == {"data": {"patient": {"name": "Ada Example"}}}
    seen = hospital.patients.headers[-1]
    assert seen["x-forwarded-for"] == "127.0.0.7"
    assert seen["forwarded"] == "for=127.0.0.7;proto=http"
    assert seen[FORWARDED_SIGNATURE_HEADER] == _signature("127.0.0.7")


async def test_a_trusted_proxys_chain_is_kept_and_appended_to(
    router: str, hospital: Hospital
) -> None:
    headers = {"x-forwarded-for": "198.51.100.4", "forwarded": 'for="198.51.100.4"'}
    await _send_from(router, "127.0.0.9", headers)
    seen = hospital.patients.headers[-1]
    assert seen["x-forwarded-for"] == "198.51.100.4, 127.0.0.9"
    assert seen["forwarded"] == 'for="198.51.100.4", for=127.0.0.9;proto=http'
    assert seen[FORWARDED_SIGNATURE_HEADER] == _signature("198.51.100.4, 127.0.0.9")


def test_nodes_and_networks() -> None:
    forwarded = ForwardedHeaders(["10.0.0.0/8"], None)
    assert forwarded.trusted("10.2.3.4")
    assert not forwarded.trusted("11.2.3.4")
    assert not forwarded.trusted("unix-socket")
    headers = forwarded.headers("::1", "https", {"x-forwarded-for": "1.2.3.4"})
    assert headers == {"x-forwarded-for": "::1", "forwarded": 'for="[::1]";proto=https'}


def test_the_client_address_for_rate_limits() -> None:
    forwarded = ForwardedHeaders(["10.0.0.0/8"], None)
    # a direct client: its own X-Forwarded-For is ignored
    assert forwarded.client_address("203.0.113.7", {"x-forwarded-for": "1.2.3.4"}) == "203.0.113.7"
    # through trusted proxies: the nearest hop that is not one of them
    chain = {"x-forwarded-for": "1.2.3.4, 198.51.100.2, 10.0.0.5"}
    assert forwarded.client_address("10.0.0.1", chain) == "198.51.100.2"
    assert forwarded.client_address("10.0.0.1", {"x-forwarded-for": "10.0.0.9"}) == "10.0.0.9"
    assert forwarded.client_address("10.0.0.1", {}) == "10.0.0.1"
    assert forwarded.client_address(None, {}) == "unknown"
