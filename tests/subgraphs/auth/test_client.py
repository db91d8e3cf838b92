"""The client address: X-Forwarded-For only from trusted proxies that prove they are our router."""

from __future__ import annotations

import hashlib
import hmac

import httpx
from starlette.types import Receive, Scope, Send

from subgraphs.auth.client import (
    FORWARDED_SIGNATURE_HEADER,
    ClientAddressMiddleware,
    client_address,
    current_client_ip,
)

TRUSTED = ("127.0.0.1", "10.0.0.5")


def test_direct_peer_wins_when_untrusted() -> None:
    assert client_address("203.0.113.9", "198.51.100.1", TRUSTED) == "203.0.113.9"


def test_forwarded_for_is_read_right_to_left_through_trusted_proxies() -> None:
    assert (
        client_address("127.0.0.1", "198.51.100.1, 203.0.113.7, 10.0.0.5", TRUSTED) == "203.0.113.7"
    )


def test_spoofed_leftmost_entry_is_ignored() -> None:
    assert client_address("127.0.0.1", "1.2.3.4, 203.0.113.7", TRUSTED) == "203.0.113.7"


def test_no_header_and_no_peer() -> None:
    assert client_address("127.0.0.1", None, TRUSTED) == "127.0.0.1"
    assert client_address(None, None, TRUSTED) == "unknown"


async def _seen_address(headers: dict[str, str], *, peer: str, secret: bytes | None) -> str:
    async def echo(scope: Scope, receive: Receive, send: Send) -> None:
        del scope, receive
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": current_client_ip().encode()})

    app = ClientAddressMiddleware(echo, trusted_proxies=["127.0.0.1", "::1"], secret=secret)
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://auth") as client:
        return (await client.get("/", headers=headers)).text


async def test_only_the_routers_signed_forwarded_for_is_believed() -> None:
    secret = b"shared with the router"
    signed = hmac.new(secret, b"203.0.113.7", hashlib.sha256).hexdigest()
    router = {"x-forwarded-for": "203.0.113.7", FORWARDED_SIGNATURE_HEADER: signed}
    assert await _seen_address(router, peer="127.0.0.1", secret=secret) == "203.0.113.7"
    # a direct caller on the same host, forging the header, with or without a signature
    forged = {"x-forwarded-for": "198.51.100.1"}
    assert await _seen_address(forged, peer="127.0.0.1", secret=secret) == "127.0.0.1"
    replayed = {"x-forwarded-for": "198.51.100.1", FORWARDED_SIGNATURE_HEADER: signed}
    assert await _seen_address(replayed, peer="127.0.0.1", secret=secret) == "127.0.0.1"
    # a signed header from a peer that is not a trusted proxy, and no secret configured at all
    assert await _seen_address(router, peer="192.0.2.4", secret=secret) == "192.0.2.4"
    assert await _seen_address(router, peer="127.0.0.1", secret=None) == "127.0.0.1"


def test_trusted_proxies_accept_networks() -> None:
    assert client_address("10.1.2.3", "203.0.113.7", ["10.0.0.0/8"]) == "203.0.113.7"
    assert client_address("11.1.2.3", "203.0.113.7", ["10.0.0.0/8"]) == "11.1.2.3"
