"""The client's address: X-Forwarded-For only from our router (trusted peer and HMAC signature)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from contextvars import ContextVar

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = [
    "FORWARDED_SIGNATURE_HEADER",
    "ClientAddressMiddleware",
    "TrustedProxies",
    "client_address",
    "current_client_ip",
]

# Written by the router (router/http/forwarded.py): HMAC-SHA256 of its X-Forwarded-For value,
# keyed with the forwarding secret both share.
FORWARDED_SIGNATURE_HEADER = "x-healthgraph-forwarded-signature"

_client_ip: ContextVar[str] = ContextVar("healthgraph_auth_client_ip", default="unknown")


class TrustedProxies:
    """Addresses or CIDR networks of the router and of the proxies in front of it."""

    def __init__(self, entries: Iterable[str]) -> None:
        self._networks = tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)

    def __contains__(self, address: object) -> bool:
        try:
            parsed = ipaddress.ip_address(str(address))
        except ValueError:
            return False
        return any(parsed in network for network in self._networks)


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: Iterable[str] | TrustedProxies
) -> str:
    """The nearest address not in ``trusted``: the peer, or walking X-Forwarded-For right to left.

    Call it with a ``forwarded_for`` only once it is known to come from the router.
    """
    proxies = trusted if isinstance(trusted, TrustedProxies) else TrustedProxies(trusted)
    address = peer or "unknown"
    if address not in proxies or not forwarded_for:
        return address
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        address = hop
        if hop not in proxies:
            break
    return address


def current_client_ip() -> str:
    return _client_ip.get()


class ClientAddressMiddleware:
    """Pure ASGI middleware: records the client's address for rate limits and events.

    X-Forwarded-For is believed only when the TCP peer is a trusted proxy AND the request carries
    the router's signature of that exact header value; without a ``secret`` it is never believed,
    so a caller reaching this port directly cannot choose its address.
    """

    def __init__(
        self, app: ASGIApp, *, trusted_proxies: Iterable[str], secret: bytes | None
    ) -> None:
        self.app = app
        self.trusted = TrustedProxies(trusted_proxies)
        self.secret = secret

    def _forwarded_for(self, headers: dict[bytes, bytes]) -> str | None:
        forwarded = headers.get(b"x-forwarded-for")
        signature = headers.get(FORWARDED_SIGNATURE_HEADER.encode())
        if self.secret is None or forwarded is None or signature is None:
            return None
        expected = hmac.new(self.secret, forwarded, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(expected, signature):
            return None
        return forwarded.decode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in {"http", "websocket"}:
            peer = scope.get("client")
            headers = dict(scope.get("headers") or [])
            address = client_address(
                peer[0] if peer else None, self._forwarded_for(headers), self.trusted
            )
            token = _client_ip.set(address)
            try:
                await self.app(scope, receive, send)
            finally:
                _client_ip.reset(token)
            return
        await self.app(scope, receive, send)
