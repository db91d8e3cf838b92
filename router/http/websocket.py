"""GraphQL over WebSocket at ``/graphql`` (graphql-transport-ws, https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from router.execution.transport_ws import SUBPROTOCOL, CloseCode, MessageType
from router.http.eager import start_eagerly
from router.http.sessions import Sessions, SubscriptionRuntime
from router.pipeline import RequestError, SupergraphResponse
from router.pipeline.socket_auth import SocketAuthError, SocketIdentity
from router.pipeline.subscriptions import StreamItem

__all__ = ["GraphQLWebSocket"]

logger = logging.getLogger("router.websocket")


class _Close(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class GraphQLWebSocket:
    """One client socket: handshake, ``connection_init``, then operations until either side
    closes, the token expires, the socket idles or the router shuts down."""

    def __init__(self, runtime: SubscriptionRuntime, websocket: WebSocket) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.websocket = websocket
        self.identity: SocketIdentity | None = None
        self.init_received = False
        self.operations: dict[str, asyncio.Task[None]] = {}
        self._send_lock = asyncio.Lock()
        self._closed = False
        self._timers: list[asyncio.Task[None]] = []
        self.peer = websocket.client.host if websocket.client else "unknown"
        # what Forwarded's proto names: the HTTP scheme the socket was upgraded from
        self.scheme = "https" if websocket.url.scheme == "wss" else "http"

    # ---------------------------------------------------------------- sending
    async def send(self, message: dict[str, Any]) -> None:
        await self.send_text(orjson.dumps(message).decode())

    async def send_text(self, text: str) -> None:
        if self._closed:
            return
        async with self._send_lock:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                await self.websocket.send_text(text)

    async def close(self, code: int, reason: str) -> None:
        if self._closed:
            return
        self._closed = True
        async with self._send_lock:
            if self.websocket.application_state == WebSocketState.CONNECTED:
                with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                    await self.websocket.close(code, reason)

    # ---------------------------------------------------------------- lifecycle
    async def serve(self) -> None:
        websocket = self.websocket
        sessions: Sessions = self.runtime.sessions
        if SUBPROTOCOL not in websocket.scope.get("subprotocols", ()):
            await websocket.accept()
            await self.close(CloseCode.SUBPROTOCOL_NOT_ACCEPTABLE, "Subprotocol not acceptable")
            return
        await websocket.accept(subprotocol=SUBPROTOCOL)
        if self.runtime.closing:
            await self.close(CloseCode.SERVICE_RESTART, "The router is restarting")
            return
        if not sessions.admit_address(self):
            await self.close(CloseCode.TOO_MANY_INIT_REQUESTS, "Too many connections")
            return
        try:
            await self._receive_loop()
        except _Close as close:
            await self.close(close.code, close.reason)
        finally:
            await self._stop_operations()
            for timer in self._timers:
                timer.cancel()
            sessions.release(self)

    async def shutdown(self) -> None:
        """Graceful shutdown: let running subscriptions send what they hold, then 1012."""
        tasks = list(self.operations.values())
        if tasks:
            await asyncio.wait(tasks, timeout=self.settings.subscription_drain_timeout)
        await self.close(CloseCode.SERVICE_RESTART, "The router is restarting: reconnect")

    async def _stop_operations(self) -> None:
        tasks = list(self.operations.values())
        self.operations.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _after(self, delay: float, action: Callable[[], Any]) -> None:
        async def later() -> None:
            await asyncio.sleep(max(delay, 0.0))
            await action()

        self._timers.append(asyncio.create_task(later(), name="websocket-timer"))

    async def _receive_loop(self) -> None:
        settings = self.settings
        started = time.monotonic()
        last_activity = started
        while not self._closed:
            if self.identity is None:
                wait = settings.ws_init_timeout - (time.monotonic() - started)
            else:
                wait = settings.ws_idle_timeout
            try:
                message = await asyncio.wait_for(self.websocket.receive(), max(wait, 0.001))
            except TimeoutError:
                if self.identity is None:
                    raise _Close(
                        CloseCode.CONNECTION_INIT_TIMEOUT, "Connection initialisation timeout"
                    ) from None
                if self.operations:  # a quiet client with live subscriptions is not idle
                    continue
                if time.monotonic() - last_activity >= settings.ws_idle_timeout:
                    raise _Close(CloseCode.NORMAL, "Idle timeout") from None
                continue
            if message["type"] == "websocket.disconnect":
                self._closed = True
                return
            last_activity = time.monotonic()
            raw = message.get("text")
            if raw is None:
                data = message.get("bytes") or b""
                raw = data.decode("utf-8", errors="replace")
            if len(raw) > settings.ws_max_message_bytes:
                raise _Close(CloseCode.MESSAGE_TOO_BIG, "Message too big")
            await self._dispatch(raw)

    async def _dispatch(self, raw: str) -> None:
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise _Close(CloseCode.BAD_REQUEST, "Invalid message received") from None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            raise _Close(CloseCode.BAD_REQUEST, "Invalid message received")
        kind = message["type"]
        if kind == MessageType.CONNECTION_INIT:
            await self._init(message.get("payload"))
        elif kind == MessageType.PING:
            pong: dict[str, Any] = {"type": MessageType.PONG}
            if isinstance(message.get("payload"), dict):
                pong["payload"] = message["payload"]
            await self.send(pong)
        elif kind == MessageType.PONG:
            return
        elif kind == MessageType.SUBSCRIBE:
            self._subscribe(message)
        elif kind == MessageType.COMPLETE:
            operation_id = message.get("id")
            task = (
                self.operations.pop(operation_id, None) if isinstance(operation_id, str) else None
            )
            if task is not None:
                task.cancel()
        else:
            raise _Close(CloseCode.BAD_REQUEST, f"Invalid message type {kind[:40]!r}")

    async def _init(self, payload: Any) -> None:
        if self.init_received:
            raise _Close(CloseCode.TOO_MANY_INIT_REQUESTS, "Too many initialisation requests")
        self.init_received = True
        if payload is not None and not isinstance(payload, dict):
            raise _Close(CloseCode.BAD_REQUEST, "Invalid connection_init payload")
        headers = dict(self.websocket.headers)
        try:
            identity = await self.runtime.authenticator.authenticate(payload, headers)
        except SocketAuthError as error:
            raise _Close(error.close_code, error.message[:120]) from None
        if not self.runtime.sessions.admit_user(self, identity):
            raise _Close(CloseCode.TOO_MANY_INIT_REQUESTS, "Too many connections for this user")
        self.identity = identity
        await self.send({"type": MessageType.CONNECTION_ACK})
        expires = identity.expires_at
        if expires is not None:
            self._after(expires - time.time(), self._expired)
        if identity.verified:
            self._after(self.settings.ws_token_recheck_interval, self._recheck)

    async def _expired(self) -> None:
        await self.close(CloseCode.FORBIDDEN, "Forbidden: the access token expired")

    async def _recheck(self) -> None:
        """Every ``ws_token_recheck_interval``: a token revoked meanwhile closes the socket 4403."""
        assert self.identity is not None
        try:
            await self.runtime.authenticator.recheck(self.identity)
        except SocketAuthError as error:
            await self.close(CloseCode.FORBIDDEN, f"Forbidden: {error.message}"[:120])
            return
        self._after(self.settings.ws_token_recheck_interval, self._recheck)

    def _subscribe(self, message: Mapping[str, Any]) -> None:
        if self.identity is None:
            raise _Close(CloseCode.UNAUTHORIZED, "Unauthorized")
        operation_id = message.get("id")
        payload = message.get("payload")
        if not isinstance(operation_id, str) or not operation_id or not isinstance(payload, dict):
            raise _Close(CloseCode.BAD_REQUEST, "Invalid subscribe message")
        if operation_id in self.operations:
            raise _Close(
                CloseCode.SUBSCRIBER_ALREADY_EXISTS,
                f"Subscriber for {operation_id[:40]} already exists",
            )
        task = asyncio.create_task(self._operation(operation_id, payload), name="ws-operation")
        self.operations[operation_id] = task
        task.add_done_callback(lambda done: self._done(operation_id, done))

    def _done(self, operation_id: str, task: asyncio.Task[None]) -> None:
        if self.operations.get(operation_id) is task:
            del self.operations[operation_id]

    async def _operation(self, operation_id: str, payload: dict[str, Any]) -> None:
        assert self.identity is not None
        settings = self.settings
        if len(self.operations) > settings.ws_max_subscriptions_per_connection:
            error = {
                "message": "Too many operations on this connection.",
                "extensions": {
                    "code": "TOO_MANY_SUBSCRIPTIONS",
                    "maximum": settings.ws_max_subscriptions_per_connection,
                },
            }
            await self.send({"id": operation_id, "type": MessageType.ERROR, "payload": [error]})
            return
        try:
            started = await self.runtime.start(
                payload, self.identity, dict(self.websocket.headers), self.peer, self.scheme
            )
        except RequestError as error:
            await self.send(
                {"id": operation_id, "type": MessageType.ERROR, "payload": error.errors()}
            )
            return
        except Exception:
            logger.exception("unexpected error while starting an operation over WebSocket")
            error_body = {
                "message": "Internal server error",
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
            await self.send(
                {"id": operation_id, "type": MessageType.ERROR, "payload": [error_body]}
            )
            return
        if isinstance(started, SupergraphResponse):
            await self.send(
                {"id": operation_id, "type": MessageType.NEXT, "payload": started.body()}
            )
            await self.send({"id": operation_id, "type": MessageType.COMPLETE})
            return
        prefix = '{"id":' + orjson.dumps(operation_id).decode() + ',"type":"next","payload":'

        def sink(item: StreamItem) -> asyncio.Task[None] | None:
            if item.encoded is None:
                return start_eagerly(self.send(_next_message(operation_id, item)))
            return start_eagerly(self.send_text(prefix + item.text() + "}"))

        started.deliver_directly(sink)
        try:
            async for item in started:
                if item.kind == "shutdown":
                    return
                if item.encoded is not None:  # the result, encoded once for every subscriber
                    await self.send_text(prefix + item.text() + "}")
                    continue
                await self.send(_next_message(operation_id, item))
        finally:
            started.close()


def _next_message(operation_id: str, item: StreamItem) -> dict[str, Any]:
    message: dict[str, Any] = {"id": operation_id, "type": item.kind}
    if item.payload is not None:
        message["payload"] = item.payload
    return message
