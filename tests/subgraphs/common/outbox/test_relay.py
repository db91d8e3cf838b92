"""The outbox relay against the real broker: order, wake-up, leadership, retention, lifespan."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import strawberry
from aiokafka import AIOKafkaConsumer
from sqlalchemy import text

from subgraphs.common.app import create_service_app
from subgraphs.common.database import Database
from subgraphs.common.events.backoff import Backoff
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.outbox import record_event
from subgraphs.common.outbox.relay import OutboxRelay, OutboxRelayHook, RelayState
from subgraphs.common.service_schema import ServiceSchema
from subgraphs.common.settings import ServiceSettings
from tests.subgraphs.common.events.helpers import (
    assert_delivered_in_order,
    commit_events,
    count_unpublished,
    eventually,
    read_topic,
    record_change,
    unique_topic,
)

RelayFactory = Callable[..., OutboxRelay]


@pytest.fixture
async def make_relay(database: Database, kafka_bootstrap: str) -> AsyncIterator[RelayFactory]:
    """Relays on the test's database with test-friendly timings; all stopped at the end."""
    relays: list[OutboxRelay] = []

    def make(**options: Any) -> OutboxRelay:
        settings: dict[str, Any] = {
            "database_url": database.url,
            "bootstrap_servers": kafka_bootstrap,
            "poll_interval": 0.2,
            "standby_interval": 0.1,
            "backoff": Backoff(initial=0.05, maximum=1.0),
            "publish_timeout": 5.0,
            **options,
        }
        relay = OutboxRelay(**settings)
        relays.append(relay)
        return relay

    yield make
    for relay in relays:
        await relay.stop()


async def test_publishes_committed_events_in_order_per_aggregate(
    database: Database, make_relay: RelayFactory, kafka_bootstrap: str
) -> None:
    topic = unique_topic()
    committed = await commit_events(
        database, topic, [f"agg-{i}" for i in range(7)], count=350, concurrency=3
    )
    relay = make_relay(batch_size=40)
    relay.start()
    received = await read_topic(kafka_bootstrap, topic, expected_ids=[e.id for e in committed])
    assert assert_delivered_in_order(received, committed) == {}
    await eventually(lambda: _unpublished_is(database, 0))
    async with database.session() as session:
        connection = await session.connection()
        attempts = (
            await connection.execute(text("SELECT DISTINCT attempts, last_error FROM outbox_event"))
        ).all()
    assert [tuple(row) for row in attempts] == [(1, None)]
    assert relay.status.state is RelayState.ACTIVE
    assert relay.status.published == 350


async def test_records_carry_the_envelope_and_routing_headers(
    database: Database, make_relay: RelayFactory, kafka_bootstrap: str
) -> None:
    topic = unique_topic()
    async with database.transaction() as session:
        envelope = await record_event(
            session,
            topic=topic,
            type="patient.registered",
            aggregate_type="patient",
            aggregate_id="p-1",
            actor="synthetic-user",
            payload={"name": "Test Patient", "seq": 0},
        )
    make_relay().start()
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        record = await consumer.getone()
    finally:
        await consumer.stop()
    assert record.key == b"p-1"
    assert record.value is not None
    assert EventEnvelope.from_bytes(record.value) == envelope
    assert dict(record.headers) == {
        "event-id": str(envelope.id).encode(),
        "event-type": b"patient.registered",
        "aggregate-type": b"patient",
        "content-type": b"application/json",
    }
    assert record.timestamp == int(envelope.occurred_at.timestamp() * 1000)


async def test_notify_wakes_the_relay_long_before_the_poll(
    database: Database, make_relay: RelayFactory, kafka_bootstrap: str
) -> None:
    relay = make_relay(poll_interval=60.0)
    relay.start()
    await eventually(lambda: _state_is(relay, RelayState.ACTIVE))
    topic = unique_topic()
    # The relay is now idle, waiting up to 60 s; only the commit's NOTIFY can wake it in time.
    committed = await commit_events(database, topic, ["a"], count=1)
    received = await read_topic(kafka_bootstrap, topic, expected_ids=[committed[0].id], within=10.0)
    assert_delivered_in_order(received, committed)


async def test_polling_finds_rows_written_without_notify(
    database: Database, make_relay: RelayFactory, kafka_bootstrap: str
) -> None:
    relay = make_relay(poll_interval=0.2)
    relay.start()
    await eventually(lambda: _state_is(relay, RelayState.ACTIVE))
    event_id = uuid.uuid4()
    async with database.transaction() as session:
        connection = await session.connection()
        await connection.execute(
            text(
                "INSERT INTO outbox_event (id, topic, type, version, aggregate_type, aggregate_id,"
                " occurred_at, actor, payload) VALUES (:id, :topic, 'thing.changed', 1, 'thing',"
                " 'a', now(), 'synthetic-user', '{\"seq\": 0}')"
            ),
            {"id": event_id, "topic": unique_topic()},
        )
    await eventually(lambda: _unpublished_is(database, 0), within=10.0)


async def test_two_relays_one_publishes_and_the_other_takes_over(
    database: Database, make_relay: RelayFactory, kafka_bootstrap: str
) -> None:
    first, second = make_relay(batch_size=25), make_relay(batch_size=25)
    first.start()
    await eventually(lambda: _state_is(first, RelayState.ACTIVE))
    second.start()
    await eventually(lambda: _state_is(second, RelayState.STANDBY))
    topic = unique_topic()
    aggregates = [f"agg-{i}" for i in range(5)]
    committed = await commit_events(database, topic, aggregates, count=200, concurrency=2)
    await eventually(lambda: _unpublished_is(database, 0))
    assert second.status.state is RelayState.STANDBY
    assert second.status.published == 0

    # The active relay goes away while more changes commit; the standby takes over.
    await first.stop()
    more = await commit_events(database, topic, aggregates, count=200, concurrency=2, first_seq=40)
    await eventually(lambda: _state_is(second, RelayState.ACTIVE))
    received = await read_topic(
        kafka_bootstrap, topic, expected_ids=[e.id for e in [*committed, *more]]
    )
    assert_delivered_in_order(received, [*committed, *more])
    assert second.status.published == 200


async def test_retention_prunes_published_rows(
    database: Database, make_relay: RelayFactory
) -> None:
    await commit_events(database, unique_topic(), ["a", "b"], count=20)
    relay = make_relay(retention=timedelta(0), prune_interval=0.0)
    relay.start()
    await eventually(lambda: _rows_are(database, 0))


async def test_retention_keeps_recent_rows_and_none_keeps_all(
    database: Database, make_relay: RelayFactory
) -> None:
    await commit_events(database, unique_topic(), ["a"], count=5)
    async with database.transaction() as session:
        connection = await session.connection()
        old = datetime.now(UTC) - timedelta(days=30)
        # Three already-published rows from a month ago.
        await connection.execute(
            text("UPDATE outbox_event SET published_at = :old WHERE position <= 3"), {"old": old}
        )
    keeper = make_relay(retention=None, prune_interval=0.0)
    keeper.start()
    await eventually(lambda: _unpublished_is(database, 0))
    await keeper.stop()
    assert await _rows_are(database, 5)
    pruner = make_relay(retention=timedelta(days=7), prune_interval=0.0)
    pruner.start()
    await eventually(lambda: _rows_are(database, 2))


async def test_lifespan_hook_runs_the_relay_and_reports_readiness(
    database: Database, kafka_bootstrap: str
) -> None:
    settings = ServiceSettings(
        database_url=database.url,
        kafka_bootstrap_servers=kafka_bootstrap,
        outbox_batch_size=10,
        outbox_poll_interval=0.2,
    )
    hook = OutboxRelayHook(standby_interval=0.1)
    app = create_service_app(
        title="test",
        settings=settings,
        schema=ServiceSchema(query=_Query),
        outbox_relay=hook,
    )
    await commit_events(database, unique_topic(), ["a"], count=25)
    async with app.router.lifespan_context(app):
        relay = app.state.outbox_relay
        assert isinstance(relay, OutboxRelay)
        await eventually(lambda: _unpublished_is(database, 0))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            ready = await client.get("/ready")
        assert ready.json()["checks"]["outbox"] == "ok"
        assert relay.status.as_dict()["state"] == "active"
    assert relay.status.state is RelayState.STOPPED
    with pytest.raises(RuntimeError, match="not running"):
        await relay.check_ready()


async def test_lifespan_hook_respects_outbox_relay_enabled(database: Database) -> None:
    settings = ServiceSettings(database_url=database.url, outbox_relay_enabled=False)
    hook = OutboxRelayHook()
    app = create_service_app(
        title="test", settings=settings, schema=ServiceSchema(query=_Query), outbox_relay=hook
    )
    async with app.router.lifespan_context(app):
        assert app.state.outbox_relay is None
        await hook.check_ready()


@strawberry.type
class _Query:
    @strawberry.field
    def ok(self) -> bool:
        return True


async def _state_is(relay: OutboxRelay, state: RelayState) -> bool:
    return relay.status.state is state


async def _unpublished_is(database: Database, count: int) -> bool:
    return await count_unpublished(database) == count


async def _rows_are(database: Database, count: int) -> bool:
    async with database.session() as session:
        connection = await session.connection()
        total = (await connection.execute(text("SELECT count(*) FROM outbox_event"))).scalar_one()
    return int(total) == count


async def test_a_failing_stream_holds_back_only_what_must_wait(
    database: Database, make_relay: RelayFactory, kafka_bootstrap: str
) -> None:
    good, bad = unique_topic(), "not a valid topic!"
    plan = [("x", good, 0), ("y", good, 0), ("x", bad, 1), ("y", good, 1), ("x", good, 2)]
    plan += [("y", good, seq) for seq in range(2, 6)]
    events: dict[tuple[str, int], EventEnvelope] = {}
    for aggregate, topic, seq in plan:
        async with database.transaction() as session:
            events[aggregate, seq] = await record_change(session, topic, aggregate, seq)
    relay = make_relay()
    relay.start()

    # y's events and x0 go out; x1 fails on every pass, and x2 (on another topic) waits for it.
    ys = [events["y", seq] for seq in range(6)]
    received = await read_topic(
        kafka_bootstrap, good, expected_ids=[events["x", 0].id, *(e.id for e in ys)], settle=1.0
    )
    assert events["x", 2].id not in {item.envelope.id for item in received}
    assert_delivered_in_order(received, [events["x", 0], *ys])
    async with database.session() as session:
        connection = await session.connection()
        attempts, error = (
            await connection.execute(
                text("SELECT attempts, last_error FROM outbox_event WHERE id = :id"),
                {"id": events["x", 1].id},
            )
        ).one()
    assert attempts >= 2
    assert "invalid topic name" in error
    assert relay.status.state in {RelayState.BACKING_OFF, RelayState.ACTIVE}

    # An operator repairs the row; x1 and then x2 follow, in that order.
    fixed = unique_topic()
    async with database.transaction() as session:
        connection = await session.connection()
        await connection.execute(
            text("UPDATE outbox_event SET topic = :fixed WHERE topic = :bad"),
            {"fixed": fixed, "bad": bad},
        )
    await read_topic(kafka_bootstrap, fixed, expected_ids=[events["x", 1].id])
    await read_topic(kafka_bootstrap, good, expected_ids=[events["x", 2].id])
    await eventually(lambda: _unpublished_is(database, 0))
    async with database.session() as session:
        connection = await session.connection()
        rows = await connection.execute(
            text("SELECT id, published_at FROM outbox_event WHERE aggregate_id = 'x'")
        )
        published: dict[uuid.UUID, datetime] = {row[0]: row[1] for row in rows}
    assert published[events["x", 1].id] < published[events["x", 2].id]
