"""The client's address for the subgraphs: X-Forwarded-For and Forwarded (RFC 7239), signed."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable, Mapping

__all__ = ["FORWARDED_SIGNATURE_HEADER", "ForwardedHeaders", "forwarded_signature"]

# HMAC-SHA256 of the X-Forwarded-For value we send, keyed with the shared forwarding secret: a
# subgraph that knows the secret can tell our X-Forwarded-For from one a direct caller wrote.
FORWARDED_SIGNATURE_HEADER = "x-healthgraph-forwarded-signature"

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def forwarded_signature(secret: bytes, forwarded_for: str) -> str:
    return hmac.new(secret, forwarded_for.encode("latin-1"), hashlib.sha256).hexdigest()


def _node(address: str) -> str:
    """An RFC 7239 ``node``: IPv6 in brackets and quotes, anything unusual quoted."""
    if ":" in address:
        return f'"[{address}]"'
    return address if address.replace(".", "").isalnum() else f'"{address}"'


class ForwardedHeaders:
    """Appends the TCP peer to X-Forwarded-For and Forwarded; keeps what the client sent in those
    headers only when the peer is one of ``trusted_proxies`` (addresses or CIDR networks)."""

    def __init__(self, trusted_proxies: Iterable[str], secret: bytes | None) -> None:
        self._trusted: tuple[_Network, ...] = tuple(
            ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted_proxies
        )
        self._secret = secret

    def trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self._trusted)

    def client_address(self, peer: str | None, received: Mapping[str, str]) -> str:
        """The client's address: the peer, or through trusted proxies the nearest address in
        their X-Forwarded-For that is not itself a trusted proxy."""
        client = peer or "unknown"
        if peer is None or not self.trusted(peer):
            return client
        hops = [hop.strip() for hop in received.get("x-forwarded-for", "").split(",")]
        for hop in reversed(hops):
            if not hop:
                continue
            client = hop
            if not self.trusted(hop):
                break
        return client

    def headers(self, peer: str | None, scheme: str, received: Mapping[str, str]) -> dict[str, str]:
        """The X-Forwarded-For, Forwarded (and signature) headers to send to every subgraph."""
        client = peer or "unknown"
        prior_for = prior_forwarded = ""
        if peer is not None and self.trusted(peer):
            prior_for = received.get("x-forwarded-for", "").strip()
            prior_forwarded = received.get("forwarded", "").strip()
        forwarded_for = f"{prior_for}, {client}" if prior_for else client
        element = f"for={_node(client)};proto={scheme}"
        headers = {
            "x-forwarded-for": forwarded_for,
            "forwarded": f"{prior_forwarded}, {element}" if prior_forwarded else element,
        }
        if self._secret is not None:
            headers[FORWARDED_SIGNATURE_HEADER] = forwarded_signature(self._secret, forwarded_for)
        return headers
