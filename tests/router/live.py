"""Test support: a fake subgraph serving subscriptions over graphql-transport-ws, with replay.

``live`` owns ``Subscription.appointmentChanged(doctorId, since)`` (positions, replay after
``since``, like the clinical subgraph) and ``records`` resolves ``Appointment.patientName``
through ``_entities``: an event's cross-subgraph field. The supergraph is composed by our
composer.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import jwt
import orjson
from graphql import GraphQLObjectType, parse, subscribe
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from router.composition.compose import SubgraphSource, compose_or_raise
from router.http import create_app
from router.settings import RouterSettings
from router.supergraph import parse_supergraph
from tests.router.loopback import FakeSubgraph, serve

__all__ = ["CHANGED", "LiveSubgraph", "LiveWorld", "live_world", "token", "wait_until"]

CHANGED = """subscription Changed($doctor: ID, $since: Int) {
  appointmentChanged(doctorId: $doctor, since: $since) {
    position appointmentId appointment { id patientName }
  }
}"""


LIVE_SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { ping: String }
type Mutation { touch(id: ID!): String }
type Subscription {
  appointmentChanged(doctorId: ID, since: Int): AppointmentChange!
}
type AppointmentChange { position: Int! appointmentId: ID! doctorId: ID! appointment: Appointment }
type Appointment @key(fields: "id", resolvable: false) { id: ID! }
"""
RECORDS_SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
type Query { appointment(id: ID!): Appointment }
type Appointment @key(fields: "id") { id: ID! patientName: String! }
"""
_LIVE_PLAIN = """
type Query { ping: String }
type Mutation { touch(id: ID!): String }
type Subscription { appointmentChanged(doctorId: ID, since: Int): AppointmentChange! }
type AppointmentChange { position: Int! appointmentId: ID! doctorId: ID! appointment: Appointment }
type Appointment { id: ID! }
"""
_RECORDS_PLAIN = """
type Query { appointment(id: ID!): Appointment }
type Appointment { id: ID! patientName: String! }
"""


def token(subject: str = "doctor-1", lifetime: float = 600) -> str:
    claims = {"sub": subject, "exp": int(time.time() + lifetime)}
    return jwt.encode(claims, "test-secret-test-secret-test-secret!", algorithm="HS256")


async def wait_until(condition: Any, wait: float = 5.0) -> None:
    deadline = time.monotonic() + wait
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def _subject(payload: Any) -> str | None:
    """The (unverified) subject of the token in a connection_init payload."""
    value = (payload or {}).get("authorization", "")
    if not value.startswith("Bearer "):
        return None
    claims = jwt.decode(value.removeprefix("Bearer "), options={"verify_signature": False})
    return str(claims.get("sub"))


@dataclass
class LiveSubgraph:
    """Serves appointment changes to graphql-transport-ws subscribers, replaying after since."""

    events: list[dict[str, Any]] = field(default_factory=list)
    inits: list[Any] = field(default_factory=list)
    subscribes: list[dict[str, Any]] = field(default_factory=list)
    sockets: set[WebSocket] = field(default_factory=set)
    queues: list[asyncio.Queue[dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # queries and mutations over HTTP, like every fake subgraph; subscriptions added below
        self.http = FakeSubgraph(
            _LIVE_PLAIN,
            resolvers={"Mutation": {"touch": lambda _root, _info, id: f"touched {id}"}},  # noqa: A006 (the GraphQL argument's name)
        )
        self.schema = self.http.schema
        subscription = self.schema.type_map["Subscription"]
        assert isinstance(subscription, GraphQLObjectType)
        changed = subscription.fields["appointmentChanged"]
        changed.subscribe = self._stream
        changed.resolve = lambda event, _info, **_args: event

    def reset(self) -> None:
        self.events.clear()
        self.inits.clear()
        self.subscribes.clear()
        self.http.requests.clear()

    def publish(self, appointment_id: str, doctor_id: str = "d1") -> int:
        position = len(self.events) + 1
        event = {
            "position": position,
            "appointmentId": appointment_id,
            "doctorId": doctor_id,
            "appointment": {"id": appointment_id},
        }
        self.events.append(event)
        for queue in list(self.queues):
            queue.put_nowait(event)
        return position

    async def drop_all(self) -> None:
        """Close every subscriber's socket abnormally (a subgraph restart)."""
        for socket in list(self.sockets):
            with contextlib.suppress(Exception):
                await socket.close(1011, "restarting")

    async def _stream(
        self,
        _root: Any,
        _info: Any,
        doctorId: str | None = None,  # noqa: N803 (the GraphQL argument's name)
        since: int | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        backlog = [e for e in self.events if since is not None and e["position"] > since]
        self.queues.append(queue)
        try:
            for event in backlog:
                if doctorId is None or event["doctorId"] == doctorId:
                    yield event
            while True:
                event = await queue.get()
                if doctorId is None or event["doctorId"] == doctorId:
                    yield event
        finally:
            self.queues.remove(queue)

    async def _socket(self, websocket: WebSocket) -> None:
        await websocket.accept(subprotocol="graphql-transport-ws")
        self.sockets.add(websocket)
        tasks: dict[str, asyncio.Task[None]] = {}
        try:
            init = orjson.loads(await websocket.receive_text())
            self.inits.append(init.get("payload"))
            if _subject(init.get("payload")) == "refused":
                await websocket.close(4403, "Forbidden")
                return
            await websocket.send_text('{"type":"connection_ack"}')
            while True:
                message = orjson.loads(await websocket.receive_text())
                if message["type"] == "subscribe":
                    self.subscribes.append(message["payload"])
                    tasks[message["id"]] = asyncio.create_task(
                        self._run(websocket, message["id"], message["payload"])
                    )
                elif message["type"] == "complete" and message["id"] in tasks:
                    tasks.pop(message["id"]).cancel()
                elif message["type"] == "ping":
                    await websocket.send_text('{"type":"pong"}')
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            self.sockets.discard(websocket)
            for task in tasks.values():
                task.cancel()

    async def _run(self, websocket: WebSocket, operation_id: str, payload: dict[str, Any]) -> None:
        result = subscribe(
            self.schema, parse(payload["query"]), variable_values=payload.get("variables")
        )
        if inspect.isawaitable(result):
            result = await result
        if not isinstance(result, AsyncIterator):
            errors = [e.formatted for e in result.errors or ()]
            await websocket.send_text(
                orjson.dumps({"id": operation_id, "type": "error", "payload": errors}).decode()
            )
            return
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            async for item in result:
                body: dict[str, Any] = {"data": item.data}
                if item.errors:
                    body["errors"] = [e.formatted for e in item.errors]
                message = {"id": operation_id, "type": "next", "payload": body}
                await websocket.send_text(orjson.dumps(message).decode())

    def app(self) -> Starlette:
        app = self.http.app()
        app.router.routes.append(WebSocketRoute("/graphql", self._socket))
        return app


@dataclass
class LiveWorld:
    router: str
    live: LiveSubgraph
    records: FakeSubgraph
    app: Starlette

    @property
    def ws_url(self) -> str:
        return self.router.replace("http://", "ws://") + "/graphql"


def supergraph_sdl() -> str:
    return compose_or_raise(
        [
            SubgraphSource("live", "http://127.0.0.1:1/graphql", LIVE_SDL),
            SubgraphSource("records", "http://127.0.0.1:2/graphql", RECORDS_SDL),
        ]
    )


@contextlib.asynccontextmanager
async def live_world(**settings: Any) -> AsyncIterator[LiveWorld]:
    """The live and records subgraphs and a router in front of them, on loopback."""
    live = LiveSubgraph()
    records = FakeSubgraph(
        _RECORDS_PLAIN,
        entities={"Appointment": lambda rep: {"patientName": f"Patient of {rep['id']}"}},
    )
    async with serve(live.app()) as live_base, serve(records.app()) as records_base:
        urls = {"live": f"{live_base}/graphql", "records": f"{records_base}/graphql"}
        app = create_app(
            parse_supergraph(supergraph_sdl()), RouterSettings(subgraph_urls=urls, **settings)
        )
        async with serve(app) as router:
            yield LiveWorld(router, live, records, app)
