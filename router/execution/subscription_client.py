"""A subgraph subscription over WebSocket, the router being the client (graphql-transport-ws PROTOCOL.md)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Subprotocol

from router.execution.transport_ws import SUBPROTOCOL, CloseCode, MessageType

__all__ = ["UpstreamClosed", "UpstreamRefused", "subscribe_upstream", "websocket_url"]

# close codes after which subscribing again cannot help (the subgraph refused us)
_FINAL_CODES = frozenset(
    {
        CloseCode.BAD_REQUEST,
        CloseCode.UNAUTHORIZED,
        CloseCode.FORBIDDEN,
        CloseCode.SUBPROTOCOL_NOT_ACCEPTABLE,
        CloseCode.SUBSCRIBER_ALREADY_EXISTS,
        CloseCode.TOO_MANY_INIT_REQUESTS,
    }
)
# headers the WebSocket handshake sets itself
_HANDSHAKE_HEADERS = frozenset(
    {"host", "connection", "upgrade", "content-length", "content-type", "accept"}
)


class UpstreamClosed(Exception):
    """The subgraph's socket closed or could not be opened; ``retryable`` says whether to retry."""

    def __init__(self, service: str, reason: str, *, retryable: bool) -> None:
        super().__init__(f"subscription to '{service}' closed: {reason}")
        self.service = service
        self.retryable = retryable


class UpstreamRefused(Exception):
    """The subgraph answered the subscription with an ``error`` message (GraphQL errors)."""

    def __init__(self, service: str, errors: list[Any]) -> None:
        super().__init__(f"subscription refused by '{service}'")
        self.service = service
        self.errors = errors


def websocket_url(url: str) -> str:
    """The ws(s):// URL of a subgraph's http(s):// GraphQL endpoint."""
    if url.startswith("https://"):
        return "wss://" + url.removeprefix("https://")
    if url.startswith("http://"):
        return "ws://" + url.removeprefix("http://")
    return url


async def _receive(socket: ClientConnection) -> dict[str, Any]:
    """The next protocol message, answering pings on the way."""
    while True:
        raw = await socket.recv()
        message = orjson.loads(raw)
        if not isinstance(message, dict):
            raise ValueError("not a protocol message")  # noqa: TRY004 (a protocol error, not a type error)
        if message.get("type") == MessageType.PING:
            await socket.send(orjson.dumps({"type": MessageType.PONG}).decode())
            continue
        if message.get("type") == MessageType.PONG:
            continue
        return message


async def subscribe_upstream(
    service: str,
    url: str,
    payload: Mapping[str, Any],
    *,
    init_payload: Mapping[str, Any],
    headers: Mapping[str, str],
    open_timeout: float,
    max_message_bytes: int = 4 * 1024 * 1024,
) -> AsyncIterator[dict[str, Any]]:
    """Each ``next`` payload of one subscription until the subgraph completes it.

    Raises :class:`UpstreamRefused` for an ``error`` message and :class:`UpstreamClosed` when the
    socket ends otherwise (``retryable`` unless the subgraph closed with a refusal code).
    """
    sent = {k: v for k, v in headers.items() if k.lower() not in _HANDSHAKE_HEADERS}
    try:
        async with connect(
            websocket_url(url),
            subprotocols=[Subprotocol(SUBPROTOCOL)],
            additional_headers=sent,
            open_timeout=open_timeout,
            max_size=max_message_bytes,
            compression=None,
            proxy=None,
            ping_interval=20,
            ping_timeout=20,
        ) as socket:
            init = {"type": MessageType.CONNECTION_INIT, "payload": dict(init_payload)}
            await socket.send(orjson.dumps(init).decode())
            ack = await asyncio.wait_for(_receive(socket), open_timeout)
            if ack.get("type") != MessageType.CONNECTION_ACK:
                raise UpstreamClosed(service, "no connection_ack", retryable=True)
            subscribe = {"id": "1", "type": MessageType.SUBSCRIBE, "payload": dict(payload)}
            await socket.send(orjson.dumps(subscribe).decode())
            while True:
                message = await _receive(socket)
                kind = message.get("type")
                if kind == MessageType.NEXT and isinstance(message.get("payload"), dict):
                    yield message["payload"]
                elif kind == MessageType.ERROR:
                    errors = message.get("payload")
                    raise UpstreamRefused(service, errors if isinstance(errors, list) else [])
                elif kind == MessageType.COMPLETE:
                    return
    except ConnectionClosed as error:
        code = error.rcvd.code if error.rcvd is not None else 1006
        reason = error.rcvd.reason if error.rcvd is not None else "connection lost"
        raise UpstreamClosed(
            service, f"{code} {reason}".strip(), retryable=code not in _FINAL_CODES
        ) from None
    except (OSError, InvalidHandshake, TimeoutError, ValueError) as error:
        raise UpstreamClosed(service, f"{type(error).__name__}: {error}", retryable=True) from None
