"""A subgraph's telemetry: its request span joins the router's trace, SQL and the outbox publish
join it in turn, and ``/metrics`` counts operations and published events."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import strawberry
from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import text

from subgraphs.common.app import create_service_app
from subgraphs.common.context import RequestContext
from subgraphs.common.events.backoff import Backoff
from subgraphs.common.events.consumer import EventConsumer
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.outbox.relay import OutboxRelay
from subgraphs.common.service_schema import ServiceSchema
from subgraphs.common.settings import ServiceSettings
from tests.conftest import ServiceDatabaseFactory
from tests.subgraphs.common.events.helpers import eventually, record_change, unique_topic
from tests.support.tracing import in_memory_tracing

TOPIC = unique_topic("telemetry")
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"


@strawberry.type
class Query:
    @strawberry.field
    async def answer(self, info: strawberry.Info[RequestContext, None]) -> int:
        async with info.context.database.session() as session:
            connection = await session.connection()
            return int((await connection.execute(text("SELECT 42"))).scalar_one())


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def change(self, info: strawberry.Info[RequestContext, None]) -> bool:
        async with info.context.database.transaction() as session:
            await record_change(session, TOPIC, "thing-1", 1)
        return True


@pytest.fixture
async def traced_app(
    service_database: ServiceDatabaseFactory, kafka_bootstrap: str
) -> AsyncIterator[tuple[FastAPI, InMemorySpanExporter]]:
    settings = ServiceSettings(
        database_url=await service_database("common"), kafka_bootstrap_servers=kafka_bootstrap
    )
    with in_memory_tracing("test-subgraph") as exporter:
        app = create_service_app(
            title="healthgraph test",
            settings=settings,
            schema=ServiceSchema(query=Query, mutation=Mutation),
        )
        yield app, exporter
        await app.state.service.database.dispose()


async def test_request_sql_and_outbox_publish_join_the_callers_trace(
    traced_app: tuple[FastAPI, InMemorySpanExporter], kafka_bootstrap: str
) -> None:
    app, exporter = traced_app
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.post(
            "/graphql",
            json={"query": "mutation Change { change } ", "operationName": "Change"},
            headers={"traceparent": f"00-{TRACE}-{PARENT}-01", "x-request-id": "req-1"},
        )
        assert answer.json() == {"data": {"change": True}}
        relay = OutboxRelay(
            database_url=app.state.service.database.url,
            bootstrap_servers=kafka_bootstrap,
            poll_interval=0.2,
            backoff=Backoff(initial=0.05, maximum=1.0),
            publish_timeout=5.0,
        )
        relay.start()
        try:
            await eventually(
                lambda: _async(
                    any(s.name == f"publish {TOPIC}" for s in exporter.get_finished_spans())
                )
            )
        finally:
            await relay.stop()
        handled: list[EventEnvelope] = []

        async def handle(event: EventEnvelope) -> None:
            handled.append(event)

        group = f"g-{uuid.uuid4().hex[:8]}"
        async with EventConsumer(
            bootstrap_servers=kafka_bootstrap,
            topics=[TOPIC],
            group_id=group,
            handler=handle,
            consumer_options={"session_timeout_ms": 2000, "heartbeat_interval_ms": 300},
        ):
            await eventually(lambda: _async(len(handled) == 1))
        metrics = (await client.get("/metrics")).text

    spans = exporter.get_finished_spans()
    server = next(s for s in spans if s.name == "POST /graphql")
    assert server.kind is SpanKind.SERVER
    assert format(server.context.trace_id, "032x") == TRACE
    assert server.parent is not None
    assert format(server.parent.span_id, "016x") == PARENT
    assert server.attributes is not None
    assert server.attributes["healthgraph.request_id"] == "req-1"
    sql = [s for s in spans if s.kind is SpanKind.CLIENT and s.parent == server.context]
    assert "INSERT" in {s.name for s in sql}
    publish = next(s for s in spans if s.name == f"publish {TOPIC}")
    assert publish.kind is SpanKind.PRODUCER
    assert publish.parent is not None
    assert publish.parent.span_id == server.context.span_id  # stored with the outbox row
    assert format(publish.context.trace_id, "032x") == TRACE
    # the consumer continues the trace from the record's traceparent header
    process = next(s for s in spans if s.name == f"process {TOPIC}")
    assert process.kind is SpanKind.CONSUMER
    assert process.parent is not None
    assert process.parent.span_id == publish.context.span_id

    assert 'healthgraph_subgraph_operations_total{operation="Change",outcome="ok"}' in metrics
    assert f'healthgraph_outbox_published_events_total{{topic="{TOPIC}"}} 1.0' in metrics
    assert "healthgraph_outbox_relay_lag_seconds_bucket" in metrics
    assert "healthgraph_outbox_backlog_events" in metrics


async def test_sql_spans_carry_statements_not_values(
    traced_app: tuple[FastAPI, InMemorySpanExporter],
) -> None:
    app, exporter = traced_app
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.post("/graphql", json={"query": "{ answer }"})
    assert answer.json() == {"data": {"answer": 42}}
    spans = exporter.get_finished_spans()
    select = next(s for s in spans if s.name == "SELECT")
    assert select.attributes is not None
    assert select.attributes["db.system.name"] == "postgresql"
    assert select.attributes["db.query.text"] == "SELECT 42"
    server = next(s for s in spans if s.name == "POST /graphql")
    assert select.parent == server.context
    assert server.parent is None  # no traceparent: the subgraph starts the trace


async def _async(value: bool) -> bool:
    return value
