"""Subscriptions over HTTP: Apollo's multipart protocol and GraphQL over SSE."""

from __future__ import annotations

import asyncio

import httpx
import orjson

from router.http.streams import MULTIPART, SSE, stream_kind
from tests.router.live import CHANGED, LiveWorld, token, wait_until

MULTIPART_ACCEPT = 'multipart/mixed;subscriptionSpec="1.0", application/json'


def test_the_accept_header_picks_the_transport() -> None:
    assert stream_kind('multipart/mixed;subscriptionSpec="1.0", application/json') == MULTIPART
    assert stream_kind("multipart/mixed;boundary=graphql;subscriptionSpec=1.0") == MULTIPART
    assert stream_kind("text/event-stream") == SSE
    assert stream_kind("multipart/mixed;deferSpec=20220824, application/json") is None
    assert stream_kind("application/json") is None


async def _publish_when_subscribed(world: LiveWorld, *appointments: str) -> None:
    await wait_until(lambda: world.live.queues)
    for appointment in appointments:
        world.live.publish(appointment)


async def test_multipart_streams_events_and_heartbeats(world: LiveWorld) -> None:
    body = {"query": CHANGED, "variables": {"doctor": "d1"}}
    headers = {"accept": MULTIPART_ACCEPT, "authorization": f"Bearer {token()}"}
    async with (
        httpx.AsyncClient(base_url=world.router, timeout=10) as http,
        http.stream("POST", "/graphql", json=body, headers=headers) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(
            'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"'
        )
        publisher = asyncio.create_task(_publish_when_subscribed(world, "a1"))
        raw = b""
        async for chunk in response.aiter_bytes():
            raw += chunk
            if b"patientName" in raw and raw.count(b"{}") >= 1:
                break
        await publisher
    text = raw.decode()
    assert text.startswith("\r\n--graphql\r\ncontent-type: application/json\r\n\r\n")
    parts = [
        orjson.loads(part.split("\r\n\r\n", 1)[1])
        for part in text.split("\r\n--graphql")
        if "\r\n\r\n" in part
    ]
    assert {} in parts  # heartbeats
    events = [part for part in parts if part]
    assert events[0] == {
        "payload": {
            "data": {
                "appointmentChanged": {
                    "position": 1,
                    "appointmentId": "a1",
                    "appointment": {"id": "a1", "patientName": "Patient of a1"},
                }
            }
        }
    }
    await wait_until(lambda: not world.live.queues)  # the client left: the upstream ends


async def test_sse_streams_next_events(world: LiveWorld) -> None:
    body = {"query": CHANGED, "variables": {"doctor": "d1"}}
    headers = {"accept": "text/event-stream", "authorization": f"Bearer {token()}"}
    async with (
        httpx.AsyncClient(base_url=world.router, timeout=10) as http,
        http.stream("POST", "/graphql", json=body, headers=headers) as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        publisher = asyncio.create_task(_publish_when_subscribed(world, "a1", "a2"))
        events = []
        name = None
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: ") and name == "next":
                events.append(orjson.loads(line.removeprefix("data: ")))
                if len(events) == 2:
                    break
        await publisher
    assert [e["data"]["appointmentChanged"]["position"] for e in events] == [1, 2]


async def test_a_query_with_a_stream_accept_answers_once(world: LiveWorld) -> None:
    async with httpx.AsyncClient(base_url=world.router, timeout=10) as http:
        response = await http.post(
            "/graphql", json={"query": "{ ping }"}, headers={"accept": "text/event-stream"}
        )
    assert (
        response.text == 'event: next\ndata: {"data":{"ping":null}}\n\nevent: complete\ndata:\n\n'
    )


async def test_refusals_before_streaming_are_plain_json(world: LiveWorld) -> None:
    async with httpx.AsyncClient(base_url=world.router, timeout=10) as http:
        invalid = await http.post(
            "/graphql",
            json={"query": "subscription { nope }"},
            headers={"accept": MULTIPART_ACCEPT},
        )
        expired = await http.post(
            "/graphql",
            json={"query": CHANGED},
            headers={"accept": MULTIPART_ACCEPT, "authorization": f"Bearer {token(lifetime=-1)}"},
        )
        plain = await http.post("/graphql", json={"query": CHANGED})
    assert invalid.status_code == 400
    assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert expired.status_code == 401
    assert plain.json()["errors"][0]["extensions"]["code"] == "SUBSCRIPTION_NOT_SUPPORTED"


async def test_a_stream_ends_when_its_token_expires(world: LiveWorld) -> None:
    body = {"query": CHANGED, "variables": {"doctor": "d1"}}
    headers = {"accept": "text/event-stream", "authorization": f"Bearer {token(lifetime=1.5)}"}
    async with httpx.AsyncClient(base_url=world.router, timeout=10) as http:
        response = await http.post("/graphql", json=body, headers=headers)
    events = response.text.split("\n\n")
    assert events[-3:] == [
        (
            'event: next\ndata: {"errors":[{"message":"Your access token expired: subscribe '
            'again with a fresh one.","extensions":{"code":"UNAUTHENTICATED"}}]}'
        ),
        "event: complete\ndata:",
        "",
    ]
    await wait_until(lambda: not world.live.queues)


async def test_get_streams_subscriptions_but_never_runs_mutations(world: LiveWorld) -> None:
    headers = {"accept": "text/event-stream", "authorization": f"Bearer {token()}"}
    async with httpx.AsyncClient(base_url=world.router, timeout=10) as http:
        mutation = await http.get(
            "/graphql", params={"query": 'mutation { touch(id: "a1") }'}, headers=headers
        )
        assert mutation.status_code == 405
        params = {"query": CHANGED, "variables": '{"doctor": "d1"}'}
        async with http.stream("GET", "/graphql", params=params, headers=headers) as response:
            assert response.status_code == 200
            publisher = asyncio.create_task(_publish_when_subscribed(world, "a1"))
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    change = orjson.loads(line.removeprefix("data: "))
                    assert change["data"]["appointmentChanged"]["appointmentId"] == "a1"
                    break
            await publisher
    assert world.live.http.requests == []  # the mutation never reached the subgraph
