"""The router's ``/metrics``: operations, subgraph fetches and the plan cache, bounded labels."""

from __future__ import annotations

import httpx
from prometheus_client import REGISTRY

from tests.router.hospital import build_hospital
from tests.router.http.test_websocket import open_socket, send, subscribe
from tests.router.live import live_world, token, wait_until
from tests.router.loopback import sample_sdl, serve_router

QUERY = 'query Balance { patient(id: "p1") { name balance } }'


async def test_metrics_count_operations_fetches_and_plan_cache() -> None:
    hospital = build_hospital()
    async with (
        serve_router(sample_sdl(), hospital.as_dict()) as router,
        httpx.AsyncClient() as client,
    ):
        for _ in range(2):
            answer = await client.post(
                f"{router}/graphql", json={"query": QUERY, "operationName": "Balance"}
            )
            assert answer.status_code == 200
        refused = await client.post(f"{router}/graphql", json={"query": "{ nope }"})
        assert refused.status_code == 400
        response = await client.get(f"{router}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'healthgraph_router_operations_total{operation="Balance",outcome="ok"}' in text
    assert 'healthgraph_router_operations_total{operation="anonymous",outcome="refused"}' in text
    assert (
        'healthgraph_router_operation_duration_seconds_bucket{le="0.001",operation="Balance"}'
        in text
    )
    assert 'healthgraph_router_subgraph_fetches_total{outcome="ok",subgraph="billing"}' in text
    assert 'healthgraph_router_subgraph_fetch_duration_seconds_count{subgraph="patients"}' in text
    assert 'healthgraph_router_plan_cache_lookups_total{result="hit"}' in text
    assert "healthgraph_router_websocket_connections" in text
    assert "healthgraph_router_subscriptions" in text
    # no raw query text nor variable values in any label
    assert "nope" not in text
    assert "p1" not in text


async def test_metrics_can_be_switched_off() -> None:
    hospital = build_hospital()
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), metrics=False) as router,
        httpx.AsyncClient() as client,
    ):
        assert (await client.get(f"{router}/metrics")).status_code == 404


def _gauge(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


async def test_websocket_connections_and_subscriptions_are_gauged() -> None:
    sockets, subscriptions = (
        "healthgraph_router_websocket_connections",
        "healthgraph_router_subscriptions",
    )
    before = (_gauge(sockets), _gauge(subscriptions))
    async with live_world() as world:
        init = {"authorization": f"Bearer {token()}"}
        async with await open_socket(world.ws_url, init) as socket:
            await subscribe(socket, doctor="d1")
            await wait_until(lambda: world.live.queues)
            assert (_gauge(sockets), _gauge(subscriptions)) == (before[0] + 1, before[1] + 1)
            await send(socket, {"id": "1", "type": "complete"})
            await wait_until(lambda: _gauge(subscriptions) == before[1])
        await wait_until(lambda: _gauge(sockets) == before[0])
