"""The router's graphql-transport-ws endpoint: protocol, close codes, federation per event, dedup."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from router.auth.revocation import RedisRevocationList
from tests.router.jwks import JwksServer
from tests.router.live import CHANGED, LiveWorld, live_world, token, wait_until
from tests.router.loopback import serve
from tests.support.tokens import AUDIENCE, ISSUER, mint


async def open_socket(url: str, init: dict[str, Any] | None = None) -> ClientConnection:
    socket = await connect(url, subprotocols=[Subprotocol("graphql-transport-ws")])
    if init is not None:
        await send(socket, {"type": "connection_init", "payload": init})
        assert await receive(socket) == {"type": "connection_ack"}
    return socket


async def send(socket: ClientConnection, message: dict[str, Any]) -> None:
    await socket.send(orjson.dumps(message).decode())


async def receive(socket: ClientConnection, wait: float = 5.0) -> Any:
    return orjson.loads(await asyncio.wait_for(socket.recv(), wait))


async def closed_with(socket: ClientConnection, wait: float = 5.0) -> int | None:
    """The close code the router sent (messages before it are skipped)."""
    with pytest.raises(ConnectionClosed) as raised:  # noqa: PT012 (read until the close)
        while True:
            await asyncio.wait_for(socket.recv(), wait)
    received = raised.value.rcvd
    return None if received is None else received.code


async def subscribe(socket: ClientConnection, operation_id: str = "1", **variables: Any) -> None:
    payload = {"query": CHANGED, "variables": variables}
    await send(socket, {"id": operation_id, "type": "subscribe", "payload": payload})


async def test_an_event_arrives_with_its_fields_from_another_subgraph(world: LiveWorld) -> None:
    bearer = token()
    async with await open_socket(world.ws_url, {"authorization": f"Bearer {bearer}"}) as socket:
        await send(socket, {"type": "ping"})
        assert await receive(socket) == {"type": "pong"}
        await subscribe(socket, doctor="d1")
        await wait_until(lambda: world.live.queues)
        world.live.publish("a1", "d2")  # another doctor's: filtered by the subgraph
        world.live.publish("a2", "d1")
        message = await receive(socket)
        assert message == {
            "id": "1",
            "type": "next",
            "payload": {
                "data": {
                    "appointmentChanged": {
                        "position": 2,
                        "appointmentId": "a2",
                        "appointment": {"id": "a2", "patientName": "Patient of a2"},
                    }
                }
            },
        }
        await send(socket, {"id": "1", "type": "complete"})
        await wait_until(lambda: not world.live.queues)
    # the token travelled in the subgraph's connection_init; the router asked for positions
    assert world.live.inits == [{"authorization": f"Bearer {bearer}"}]
    upstream = world.live.subscribes[0]
    assert "_hgPosition:position" in upstream["query"]
    assert upstream["variables"] == {"doctor": "d1", "_hgSince": None}


async def test_queries_and_mutations_run_over_the_socket(world: LiveWorld) -> None:
    async with await open_socket(world.ws_url, {}) as socket:
        payload = {"query": '{ appointment(id: "a9") { id patientName } }'}
        await send(socket, {"id": "q", "type": "subscribe", "payload": payload})
        assert await receive(socket) == {
            "id": "q",
            "type": "next",
            "payload": {"data": {"appointment": None}},
        }
        assert await receive(socket) == {"id": "q", "type": "complete"}
        mutation = {"query": 'mutation { touch(id: "a1") }'}
        await send(socket, {"id": "m", "type": "subscribe", "payload": mutation})
        assert (await receive(socket))["payload"] == {"data": {"touch": "touched a1"}}
        assert await receive(socket) == {"id": "m", "type": "complete"}
        invalid = {"query": "{ nope }"}
        await send(socket, {"id": "bad", "type": "subscribe", "payload": invalid})
        answer = await receive(socket)
        assert answer["type"] == "error"
        assert answer["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        ([{"type": "connection_init"}, {"type": "connection_init"}], 4429),
        (["not json"], 4400),
        ([{"type": "mystery"}], 4400),
        ([{"id": "1", "type": "subscribe", "payload": {"query": "{ ping }"}}], 4401),
        ([{"type": "connection_init", "payload": {"authorization": "Bearer not-a-jwt"}}], 4401),
        (
            [
                {
                    "type": "connection_init",
                    "payload": {"authorization": f"Bearer {token(lifetime=-5)}"},
                }
            ],
            4401,
        ),
    ],
)
async def test_protocol_violations_close_with_the_specs_codes(
    world: LiveWorld, messages: list[Any], code: int
) -> None:
    async with await open_socket(world.ws_url) as socket:
        for message in messages:
            await socket.send(
                message if isinstance(message, str) else orjson.dumps(message).decode()
            )
        assert await closed_with(socket) == code


async def test_a_duplicate_operation_id_closes_4409(world: LiveWorld) -> None:
    async with await open_socket(world.ws_url, {"authorization": f"Bearer {token()}"}) as socket:
        await subscribe(socket, "same", doctor="d1")
        await subscribe(socket, "same", doctor="d1")
        assert await closed_with(socket) == 4409


async def test_no_connection_init_closes_4408(world: LiveWorld) -> None:
    async with await open_socket(world.ws_url) as socket:
        assert await closed_with(socket) == 4408


async def test_the_wrong_subprotocol_closes_4406(world: LiveWorld) -> None:
    async with connect(world.ws_url, subprotocols=[Subprotocol("graphql-ws")]) as socket:
        assert await closed_with(socket) == 4406


async def test_an_expiring_token_closes_the_socket_4403(world: LiveWorld) -> None:
    async with await open_socket(world.ws_url, {"authorization": token(lifetime=1.5)}) as socket:
        await subscribe(socket, doctor="d1")
        assert await closed_with(socket, wait=5) == 4403
    await wait_until(lambda: not world.live.queues)


async def test_with_a_jwk_set_the_router_verifies_the_socket_token() -> None:
    async with (
        serve(JwksServer().app()) as issuer,
        live_world(
            jwks_url=f"{issuer}/.well-known/jwks.json", jwt_issuer=ISSUER, jwt_audience=AUDIENCE
        ) as world,
    ):
        # a verified token: served, then closed with 4403 when it expires
        bearer = mint(lifetime=2)
        async with await open_socket(world.ws_url, {"authorization": f"Bearer {bearer}"}) as ok:
            await subscribe(ok, doctor="d1")
            await wait_until(lambda: world.live.queues)
            assert await closed_with(ok, wait=6) == 4403
        # a token signed by a key the issuer never published: 4401, no subgraph is asked
        forged = mint(key=Ed25519PrivateKey.generate())
        async with connect(world.ws_url, subprotocols=[Subprotocol("graphql-transport-ws")]) as bad:
            init = {"type": "connection_init", "payload": {"authorization": f"Bearer {forged}"}}
            await send(bad, init)
            assert await closed_with(bad) == 4401
        assert len(world.live.inits) == 1  # only the verified socket reached the subgraph


async def test_a_token_revoked_while_subscribed_closes_the_socket_and_ends_a_stream(
    redis_url: str,
) -> None:
    user = str(uuid.uuid4())
    async with (
        serve(JwksServer().app()) as issuer,
        live_world(
            jwks_url=f"{issuer}/.well-known/jwks.json",
            jwt_issuer=ISSUER,
            jwt_audience=AUDIENCE,
            revocation_redis_url=redis_url,
            ws_token_recheck_interval=0.3,
        ) as world,
        Redis.from_url(redis_url) as redis,
    ):
        bearer = mint(user_id=user, iat=int(time.time()) - 5)
        socket = await open_socket(world.ws_url, {"authorization": f"Bearer {bearer}"})
        await subscribe(socket, doctor="d1")
        headers = {"accept": "text/event-stream", "authorization": f"Bearer {bearer}"}
        body = {"query": CHANGED, "variables": {"doctor": "d1"}}
        async with httpx.AsyncClient(base_url=world.router, timeout=10) as http:
            stream = asyncio.create_task(http.post("/graphql", json=body, headers=headers))
            await wait_until(lambda: len(world.live.queues) >= 1)
            await asyncio.sleep(0.5)  # both are served while the token holds
            assert not stream.done()
            await RedisRevocationList(redis).revoke_user(user, ttl=60)  # what auth writes
            assert await closed_with(socket, wait=5) == 4403
            events = (await asyncio.wait_for(stream, 5)).text
        assert '"code":"UNAUTHENTICATED"' in events
        assert "revoked" in events
        await socket.close()


async def test_identical_subscriptions_share_one_upstream(world: LiveWorld) -> None:
    same, other = token("doctor-1"), token("doctor-2")
    sockets = [
        await open_socket(world.ws_url, {"authorization": bearer}) for bearer in (same, same, other)
    ]
    try:
        for socket in sockets:
            await subscribe(socket, doctor="d1")
        await wait_until(lambda: len(world.live.queues) == 2)
        assert len(world.live.subscribes) == 2  # two authorization contexts, two upstreams
        world.live.publish("a1")
        for socket in sockets:
            message = await receive(socket)
            assert message["payload"]["data"]["appointmentChanged"]["position"] == 1
        assert len(world.records.requests) == 2  # each event resolved once per upstream
    finally:
        for socket in sockets:
            await socket.close()
    await wait_until(lambda: not world.live.queues)


async def test_a_dropped_upstream_resumes_from_the_last_position(world: LiveWorld) -> None:
    async with await open_socket(world.ws_url, {"authorization": token()}) as socket:
        await subscribe(socket, doctor="d1")
        await wait_until(lambda: world.live.queues)
        world.live.publish("a1")
        assert (await receive(socket))["payload"]["data"]["appointmentChanged"]["position"] == 1
        await world.live.drop_all()
        world.live.publish("a2")  # while the router is not subscribed
        world.live.publish("a3")
        positions = [
            (await receive(socket))["payload"]["data"]["appointmentChanged"]["position"]
            for _ in range(2)
        ]
        assert positions == [2, 3]
        assert world.live.subscribes[-1]["variables"]["_hgSince"] == 1


async def test_a_client_resuming_with_since_gets_the_replay(world: LiveWorld) -> None:
    for appointment in ("a1", "a2", "a3"):
        world.live.publish(appointment)
    async with await open_socket(world.ws_url, {"authorization": token()}) as socket:
        await subscribe(socket, doctor="d1", since=1)
        positions = [
            (await receive(socket))["payload"]["data"]["appointmentChanged"]["position"]
            for _ in range(2)
        ]
        assert positions == [2, 3]
        # a second identical resume joins the same upstream and gets the same replay
        async with await open_socket(world.ws_url, {"authorization": token()}) as second:
            await subscribe(second, doctor="d1", since=1)
            replay = [
                (await receive(second))["payload"]["data"]["appointmentChanged"]["position"]
                for _ in range(2)
            ]
            assert replay == [2, 3]


async def test_a_refused_upstream_is_an_error_message(world: LiveWorld) -> None:
    async with await open_socket(world.ws_url, {"authorization": token("refused")}) as socket:
        await subscribe(socket, doctor="d1")
        message = await receive(socket)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "SUBSCRIPTION_UPSTREAM_UNAVAILABLE"


async def test_limits_per_connection_and_address() -> None:
    async with live_world(
        ws_max_subscriptions_per_connection=1, ws_max_connections_per_address=2
    ) as world:
        first = await open_socket(world.ws_url, {"authorization": token()})
        second = await open_socket(world.ws_url, {"authorization": token()})
        try:
            await subscribe(first, "1", doctor="d1")
            await subscribe(first, "2", doctor="d2")
            refused = await receive(first)
            assert refused["id"] == "2"
            assert refused["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
            async with await open_socket(world.ws_url) as third:
                assert await closed_with(third) == 4429
        finally:
            await first.close()
            await second.close()


async def test_shutdown_sends_what_was_sent_then_closes_1012() -> None:
    async with live_world() as world:
        socket = await open_socket(world.ws_url, {"authorization": token()})
        await subscribe(socket, doctor="d1")
        await wait_until(lambda: world.live.queues)
        world.live.publish("a1")
        assert (await receive(socket))["payload"]["data"]["appointmentChanged"]["position"] == 1
        await world.app.state.front.subscriptions.drain()
        assert await closed_with(socket) == 1012


async def test_oversized_messages_and_idle_sockets_are_closed() -> None:
    async with live_world(ws_max_message_bytes=1024, ws_idle_timeout=0.5) as world:
        async with await open_socket(world.ws_url, {}) as big:
            await send(big, {"type": "ping", "payload": {"padding": "x" * 2000}})
            assert await closed_with(big) == 1009
        async with await open_socket(world.ws_url, {}) as idle:
            assert await closed_with(idle) == 1000
