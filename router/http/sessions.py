"""What every subscription transport shares: starting operations, connection limits, graceful shutdown."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from router.http.forwarded import ForwardedHeaders
from router.http.params import supergraph_request
from router.persisted import PersistedQueries
from router.pipeline import SupergraphResponse, SupergraphService
from router.pipeline.socket_auth import SocketAuthenticator, SocketIdentity
from router.pipeline.subscriptions import Subscriber, SubscriptionHub
from router.settings import RouterSettings
from router.telemetry.router_metrics import WEBSOCKETS

if TYPE_CHECKING:
    from router.http.websocket import GraphQLWebSocket

__all__ = ["Sessions", "SubscriptionRuntime"]


class Sessions:
    """Open sockets, counted per client address and per user (their limits)."""

    def __init__(self, settings: RouterSettings) -> None:
        self.settings = settings
        self.sockets: set[GraphQLWebSocket] = set()
        self.per_address: Counter[str] = Counter()
        self.per_user: Counter[str] = Counter()
        self._users: dict[GraphQLWebSocket, str] = {}

    def admit_address(self, socket: GraphQLWebSocket) -> bool:
        if self.per_address[socket.peer] >= self.settings.ws_max_connections_per_address:
            return False
        self.per_address[socket.peer] += 1
        self.sockets.add(socket)
        WEBSOCKETS.inc()
        return True

    def admit_user(self, socket: GraphQLWebSocket, identity: SocketIdentity) -> bool:
        user = identity.limit_key
        if user is None:
            return True
        if self.per_user[user] >= self.settings.ws_max_connections_per_user:
            return False
        self.per_user[user] += 1
        self._users[socket] = user
        return True

    def release(self, socket: GraphQLWebSocket) -> None:
        if socket not in self.sockets:
            return
        self.sockets.discard(socket)
        WEBSOCKETS.dec()
        self.per_address[socket.peer] -= 1
        if self.per_address[socket.peer] <= 0:
            del self.per_address[socket.peer]
        user = self._users.pop(socket, None)
        if user is not None:
            self.per_user[user] -= 1
            if self.per_user[user] <= 0:
                del self.per_user[user]


class SubscriptionRuntime:
    """Starts operations for the socket and streaming transports; shuts them down gracefully."""

    def __init__(
        self,
        settings: RouterSettings,
        service: Callable[[], SupergraphService],
        authenticator: SocketAuthenticator,
        forwarded: ForwardedHeaders,
        *,
        persisted: PersistedQueries | None = None,
    ) -> None:
        self.settings = settings
        # APQ and the trusted-documents safelist hold for sockets and streams too
        self.persisted = persisted
        self.service = service
        self.authenticator = authenticator
        self.forwarded = forwarded
        self.hub = SubscriptionHub(
            queue_size=settings.subscription_queue_size,
            history_size=settings.subscription_history_size,
            max_retries=settings.subscription_upstream_retries,
            max_message_bytes=settings.max_request_bytes,
            deduplicate=settings.subscription_deduplication,
        )
        self.sessions = Sessions(settings)
        self.closing = False

    async def start(
        self,
        params: Mapping[str, Any],
        identity: SocketIdentity,
        headers: Mapping[str, str],
        peer: str | None,
        scheme: str,
        method: str = "POST",
    ) -> SupergraphResponse | Subscriber:
        """A query's or mutation's response, or a running subscription (RequestError when the
        operation is refused)."""
        service = self.service()
        if self.persisted is not None:
            params = await self.persisted.resolve(dict(params))
        request = supergraph_request(
            params,
            headers=headers,
            peer=peer,
            scheme=scheme,
            method=method,
            settings=self.settings,
            forwarded=self.forwarded,
            authorization=identity.authorization(),
        )
        document, operation, variables = await service.prepare(request, subscription=True)
        if operation.operation.value != "subscription":
            return await service.execute(request, document, operation, variables)
        prepared = await service.prepare_subscription(request, document, operation, variables)
        key = self.hub.key(prepared, request.query, request.operation_name, identity.token)
        authorization = identity.authorization()
        init = {"authorization": authorization} if authorization else {}
        return self.hub.open(prepared, key=key, init_payload=init)

    async def drain(self) -> None:
        """Graceful shutdown: stop every upstream, let each client receive what it was sent,
        then close sockets with 1012 (service restart) so clients reconnect."""
        self.closing = True
        await self.hub.shutdown()
        await asyncio.gather(*(socket.shutdown() for socket in list(self.sessions.sockets)))
