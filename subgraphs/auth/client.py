"""The client's address, behind trusted reverse proxies only (RFC 7239 / X-Forwarded-For)."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["ClientAddressMiddleware", "client_address", "current_client_ip"]

_client_ip: ContextVar[str] = ContextVar("healthgraph_auth_client_ip", default="unknown")


def client_address(peer: str | None, forwarded_for: str | None, trusted: Iterable[str]) -> str:
    """The nearest address not in ``trusted``: the peer, or walking X-Forwarded-For right to left."""
    trusted_set = set(trusted)
    address = peer or "unknown"
    if address not in trusted_set or not forwarded_for:
        return address
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        address = hop
        if hop not in trusted_set:
            break
    return address


def current_client_ip() -> str:
    return _client_ip.get()


class ClientAddressMiddleware:
    """Pure ASGI middleware: records the client's address for rate limits and events."""

    def __init__(self, app: ASGIApp, *, trusted_proxies: Iterable[str]) -> None:
        self.app = app
        self.trusted = tuple(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in {"http", "websocket"}:
            peer = scope.get("client")
            headers = dict(scope.get("headers") or [])
            forwarded = headers.get(b"x-forwarded-for")
            address = client_address(
                peer[0] if peer else None,
                forwarded.decode("latin-1") if forwarded else None,
                self.trusted,
            )
            token = _client_ip.set(address)
            try:
                await self.app(scope, receive, send)
            finally:
                _client_ip.reset(token)
            return
        await self.app(scope, receive, send)
