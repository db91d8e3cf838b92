"""One client request through the router and several subgraphs is one connected trace."""

from __future__ import annotations

import contextlib

import httpx
from opentelemetry.trace import SpanKind

from router.http import create_app
from router.settings import RouterSettings
from router.supergraph import parse_supergraph
from tests.router.hospital import build_hospital
from tests.router.loopback import sample_sdl, serve
from tests.support.tracing import in_memory_tracing, serve_traced_hospital

QUERY = 'query Ward { patient(id: "p1") { name visits { reason } balance } }'
CLIENT_TRACE = "0af7651916cd43dd8448eb211c80319c"
CLIENT_PARENT = "b7ad6b7169203331"


async def test_a_federated_query_is_one_trace_across_router_and_subgraphs() -> None:
    hospital = build_hospital()
    with in_memory_tracing() as exporter:
        async with serve_traced_hospital(hospital) as router, httpx.AsyncClient() as client:
            answer = await client.post(
                f"{router}/graphql",
                json={"query": QUERY, "operationName": "Ward"},
                headers={"traceparent": f"00-{CLIENT_TRACE}-{CLIENT_PARENT}-01"},
            )
        spans = exporter.get_finished_spans()
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["patient"]["visits"], answer.text

    # every span belongs to the client's trace
    assert {format(span.context.trace_id, "032x") for span in spans} == {CLIENT_TRACE}
    by_id = {span.context.span_id: span for span in spans}
    request = next(span for span in spans if span.name == "query Ward")
    assert request.kind is SpanKind.SERVER
    assert request.parent is not None
    assert format(request.parent.span_id, "016x") == CLIENT_PARENT
    assert request.attributes is not None
    assert request.attributes["graphql.operation.type"] == "query"

    def ancestors(span_id: int) -> list[str]:
        names = []
        span = by_id[span_id]
        while span.parent is not None and span.parent.span_id in by_id:
            span = by_id[span.parent.span_id]
            names.append(span.name)
        return names

    plan = next(span for span in spans if span.name == "graphql.plan")
    assert ancestors(plan.context.span_id) == ["query Ward"]
    fetches = [span for span in spans if span.name.startswith("fetch ")]
    assert {span.name for span in fetches} == {"fetch patients", "fetch clinical", "fetch billing"}
    for fetch in fetches:
        assert fetch.kind is SpanKind.CLIENT
        assert ancestors(fetch.context.span_id) == ["query Ward"]
    # each subgraph's server span is a child of the router's fetch span for it
    served = [span for span in spans if span.name == "POST /graphql"]
    assert len(served) == 3
    for span in served:
        assert span.parent is not None
        assert by_id[span.parent.span_id].name.startswith("fetch ")
        assert ancestors(span.context.span_id)[-1] == "query Ward"
    # the subgraphs saw the router's span context, not the client's
    for subgraph in hospital.as_dict().values():
        traceparent = subgraph.headers[0]["traceparent"]
        assert traceparent.startswith(f"00-{CLIENT_TRACE}-")
        assert CLIENT_PARENT not in traceparent


async def test_without_tracing_the_router_forwards_the_clients_traceparent() -> None:
    hospital = build_hospital()
    traceparent = f"00-{CLIENT_TRACE}-{CLIENT_PARENT}-01"
    async with contextlib.AsyncExitStack() as stack:
        urls = {}
        for name, subgraph in hospital.as_dict().items():
            base = await stack.enter_async_context(serve(subgraph.app()))
            urls[name] = f"{base}/graphql"
        app = create_app(parse_supergraph(sample_sdl()), RouterSettings(subgraph_urls=urls))
        router = await stack.enter_async_context(serve(app))
        async with httpx.AsyncClient() as client:
            answer = await client.post(
                f"{router}/graphql", json={"query": QUERY}, headers={"traceparent": traceparent}
            )
    assert answer.status_code == 200
    assert hospital.patients.headers[0]["traceparent"] == traceparent
