"""A minimal graphql-transport-ws client for tests (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

__all__ = ["GraphQLWebSocket", "graphql_ws"]


class GraphQLWebSocket:
    """One acknowledged graphql-transport-ws connection."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self._ids = 0

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self, limit: float = 15) -> dict[str, Any]:
        """The next message other than ping/pong."""
        while True:
            raw = await asyncio.wait_for(self.connection.recv(), limit)
            message: dict[str, Any] = json.loads(raw)
            if message["type"] == "ping":
                await self.send({"type": "pong"})
                continue
            if message["type"] != "pong":
                return message

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self._ids += 1
        operation = str(self._ids)
        await self.send(
            {
                "id": operation,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )
        return operation

    async def next_payload(self, operation: str, limit: float = 15) -> dict[str, Any]:
        """The next ``next`` payload of ``operation``; fails on ``error``/``complete``."""
        message = await self.receive(limit)
        assert message.get("id") == operation, message
        assert message["type"] == "next", message
        payload: dict[str, Any] = message["payload"]
        return payload


@asynccontextmanager
async def graphql_ws(url: str, *, token: str | None = None) -> AsyncIterator[GraphQLWebSocket]:
    """Connect, send ``connection_init`` (with the token), and wait for ``connection_ack``."""
    async with connect(url, subprotocols=["graphql-transport-ws"]) as connection:  # type: ignore[list-item]
        client = GraphQLWebSocket(connection)
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await client.send({"type": "connection_init", "payload": payload})
        ack = await client.receive()
        assert ack["type"] == "connection_ack", ack
        yield client
