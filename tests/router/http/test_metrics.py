"""The router's ``/metrics``: operations, subgraph fetches and the plan cache, bounded labels."""

from __future__ import annotations

import httpx

from tests.router.hospital import build_hospital
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
