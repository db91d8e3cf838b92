"""The consumer runner on the real broker and database: once-only effects, commits, retries, DLQ."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import text

from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.backoff import Backoff
from subgraphs.common.events.consumer import (
    ConsumerState,
    EventConsumer,
    IdempotentHandler,
    fan_out_consumer,
)
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import TopicSpec, dead_letter_topic, ensure_topics
from subgraphs.common.outbox.relay import event_headers
from tests.subgraphs.common.events.helpers import eventually, unique_topic

# Tansu lets a member join a group in about half the session timeout; keep it short in tests.
FAST_GROUP = {"session_timeout_ms": 2000, "heartbeat_interval_ms": 300}
FAST_RETRY = Backoff(initial=0.01, maximum=0.05)


@pytest.fixture(autouse=True)
async def effect_table(database: Database) -> None:
    """Where the handlers under test leave their effects."""
    async with database.transaction() as session:
        connection = await session.connection()
        await connection.execute(
            text("CREATE TABLE effect (event_id uuid NOT NULL, aggregate text, seq int)")
        )


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    name = unique_topic()
    await ensure_topics(kafka_bootstrap, [TopicSpec(name, partitions=1)])
    return name


def envelope(seq: int, **payload: Any) -> EventEnvelope:
    return EventEnvelope(
        type="thing.changed",
        aggregate_type="thing",
        aggregate_id="thing-1",
        actor="synthetic-user",
        payload={"seq": seq, **payload},
    )


async def produce(bootstrap: str, topic: str, items: Sequence[EventEnvelope | bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for item in items:
            if isinstance(item, bytes):
                await producer.send_and_wait(topic, item, key=b"raw")
                continue
            headers = event_headers(str(item.id), item.type, item.aggregate_type)
            await producer.send_and_wait(
                topic, item.to_bytes(), key=item.aggregate_id.encode(), headers=headers
            )
    finally:
        await producer.stop()


async def record_effect(event: EventEnvelope, session: AsyncSession) -> None:
    connection = await session.connection()
    await connection.execute(
        text("INSERT INTO effect (event_id, aggregate, seq) VALUES (:id, :aggregate, :seq)"),
        {"id": event.id, "aggregate": event.aggregate_id, "seq": event.payload["seq"]},
    )


async def effects(database: Database) -> list[int]:
    async with database.session() as session:
        connection = await session.connection()
        rows = await connection.execute(text("SELECT seq FROM effect ORDER BY seq"))
        return [row[0] for row in rows]


def consumer(
    bootstrap: str, topic: str, handler: Any, *, group: str, **options: Any
) -> EventConsumer:
    settings: dict[str, Any] = {
        "max_attempts": 3,
        "backoff": FAST_RETRY,
        "consumer_options": FAST_GROUP,
        **options,
    }
    return EventConsumer(
        bootstrap_servers=bootstrap, topics=[topic], group_id=group, handler=handler, **settings
    )


async def read_all(bootstrap: str, topic: str, *, count: int) -> list[Any]:
    reader = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await reader.start()
    records: list[Any] = []
    try:
        async with asyncio.timeout(30):
            while len(records) < count:
                for batch in (await reader.getmany(timeout_ms=200)).values():
                    records.extend(batch)
    finally:
        await reader.stop()
    return records


async def committed_offset(bootstrap: str, group: str, topic: str) -> int | None:
    """The group's committed offset of partition 0, asked without joining the group."""
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await probe.start()
    try:
        found = await probe.committed(TopicPartition(topic, 0))
    finally:
        await probe.stop()
    return None if found is None else int(found)


async def test_an_event_delivered_twice_is_handled_once(
    database: Database, kafka_bootstrap: str, topic: str
) -> None:
    events = [envelope(seq) for seq in range(4)]
    # The relay may publish an event again after a crash: here event 1 arrives twice.
    await produce(kafka_bootstrap, topic, [events[0], events[1], events[1], events[2], events[3]])
    group = f"g-{uuid.uuid4().hex[:8]}"
    handler = IdempotentHandler(database=database, consumer=group, handler=record_effect)
    runner = consumer(kafka_bootstrap, topic, handler, group=group)
    async with runner:
        await eventually(lambda: _is(handler.handled + handler.skipped == 5))
    assert await effects(database) == [0, 1, 2, 3]
    assert (handler.handled, handler.skipped) == (4, 1)
    assert runner.status.state is ConsumerState.STOPPED
    assert await committed_offset(kafka_bootstrap, group, topic) == 5


async def test_offsets_are_committed_only_after_handling(
    database: Database, kafka_bootstrap: str, topic: str, repo_root: Path
) -> None:
    await produce(kafka_bootstrap, topic, [envelope(seq) for seq in range(6)])
    group = f"g-{uuid.uuid4().hex[:8]}"
    # A consumer process handles events 0-4, then hangs inside event 5's transaction.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.subgraphs.common.events.consumer_process",
        database.url,
        kafka_bootstrap,
        topic,
        group,
        "5",
        cwd=repo_root,
        env={**os.environ, "PYTHONPATH": str(repo_root)},
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        assert line == b"stuck\n"
        at_kill = await committed_offset(kafka_bootstrap, group, topic)
        assert at_kill is None or at_kill <= 5, "committed past a record still being handled"
    finally:
        process.kill()  # SIGKILL: no clean shutdown, no last commit
        await process.wait()
    assert await effects(database) == [0, 1, 2, 3, 4]  # event 5's transaction never committed
    assert await committed_offset(kafka_bootstrap, group, topic) == at_kill

    second = IdempotentHandler(database=database, consumer=group, handler=record_effect)
    async with consumer(kafka_bootstrap, topic, second, group=group):
        await eventually(lambda: _is(second.handled == 1))
        await eventually(lambda: _committed_is(kafka_bootstrap, group, topic, 6))
    # Everything after the committed offset came again; only event 5 had an effect now.
    assert second.skipped == 5 - (at_kill or 0)
    assert await effects(database) == [0, 1, 2, 3, 4, 5]


async def test_a_poison_message_is_retried_then_dead_lettered(
    database: Database, kafka_bootstrap: str, topic: str
) -> None:
    events = [envelope(0), envelope(1, poison=True), envelope(2)]
    await produce(kafka_bootstrap, topic, events)
    calls: list[int] = []

    async def rejects_poison(event: EventEnvelope, session: AsyncSession) -> None:
        calls.append(event.payload["seq"])
        await record_effect(event, session)
        if event.payload.get("poison"):
            raise ValueError("synthetic handler failure")

    group = f"g-{uuid.uuid4().hex[:8]}"
    handler = IdempotentHandler(database=database, consumer=group, handler=rejects_poison)
    runner = consumer(kafka_bootstrap, topic, handler, group=group, max_attempts=3)
    async with runner:
        await eventually(lambda: _is(handler.handled == 2))
        await eventually(lambda: _committed_is(kafka_bootstrap, group, topic, 3))
    assert calls == [0, 1, 1, 1, 2]
    assert await effects(database) == [0, 2]
    assert runner.status.dead_lettered == 1
    assert runner.status.retries == 2

    [parked] = await read_all(kafka_bootstrap, dead_letter_topic(topic), count=1)
    assert parked.key == b"thing-1"
    assert EventEnvelope.from_bytes(parked.value) == events[1]
    headers = dict(parked.headers)
    assert headers["event-id"] == str(events[1].id).encode()
    assert headers["dlq-original-topic"] == topic.encode()
    assert headers["dlq-original-offset"] == b"1"
    assert headers["dlq-consumer-group"] == group.encode()
    assert headers["dlq-error-type"] == b"ValueError"
    assert headers["dlq-error"] == b"synthetic handler failure"
    assert headers["dlq-attempts"] == b"3"


async def test_an_undecodable_record_is_dead_lettered_at_once(
    kafka_bootstrap: str, topic: str
) -> None:
    seen: list[int] = []

    async def handler(event: EventEnvelope) -> None:
        seen.append(event.payload["seq"])

    await produce(kafka_bootstrap, topic, [b"{not json", envelope(7)])
    runner = consumer(kafka_bootstrap, topic, handler, group=f"g-{uuid.uuid4().hex[:8]}")
    async with runner:
        await eventually(lambda: _is(seen == [7]))
    [parked] = await read_all(kafka_bootstrap, dead_letter_topic(topic), count=1)
    assert parked.value == b"{not json"
    assert dict(parked.headers)["dlq-attempts"] == b"0"
    assert runner.status.retries == 0


async def test_an_outage_is_retried_until_it_ends_and_never_dead_lettered(
    kafka_bootstrap: str, topic: str
) -> None:
    failures = 4
    seen: list[int] = []

    async def flaky(event: EventEnvelope) -> None:
        nonlocal failures
        if failures:
            failures -= 1
            raise ConnectionRefusedError("synthetic database outage")
        seen.append(event.payload["seq"])

    await produce(kafka_bootstrap, topic, [envelope(0)])
    runner = consumer(
        kafka_bootstrap, topic, flaky, group=f"g-{uuid.uuid4().hex[:8]}", max_attempts=1
    )
    async with runner:
        await eventually(lambda: _is(seen == [0]))
    assert runner.status.dead_lettered == 0
    assert runner.status.retries == 4


async def test_fan_out_consumers_each_see_every_new_event(kafka_bootstrap: str, topic: str) -> None:
    seen: dict[str, list[str]] = {"a": [], "b": []}

    def collector(name: str) -> Any:
        async def handler(event: EventEnvelope) -> None:
            seen[name].append(event.payload["kind"])

        return handler

    runners = [
        fan_out_consumer(bootstrap_servers=kafka_bootstrap, topics=[topic], handler=collector(n))
        for n in seen
    ]
    for runner in runners:
        runner.start()
    try:
        # "latest" starts at the end once the position is known: probe until both listen.
        async def both_listening() -> bool:
            await produce(kafka_bootstrap, topic, [envelope(0, kind="probe")])
            await asyncio.sleep(0.2)
            return all(seen.values())

        await eventually(both_listening, within=30)
        await produce(kafka_bootstrap, topic, [envelope(i, kind=f"real-{i}") for i in range(3)])
        await eventually(lambda: _is(all(len(v) >= 3 and v[-1] == "real-2" for v in seen.values())))
        for events in seen.values():
            assert [kind for kind in events if kind != "probe"] == ["real-0", "real-1", "real-2"]
    finally:
        for runner in runners:
            await runner.stop()


async def _is(value: bool) -> bool:
    return value


async def _committed_is(bootstrap: str, group: str, topic: str, offset: int) -> bool:
    return await committed_offset(bootstrap, group, topic) == offset


async def test_a_batch_handler_takes_a_partitions_records_at_once(
    kafka_bootstrap: str, topic: str
) -> None:
    await produce(kafka_bootstrap, topic, [envelope(seq) for seq in range(5)])
    batches: list[list[int]] = []
    singles: list[int] = []

    async def one(event: EventEnvelope) -> None:
        singles.append(event.payload["seq"])

    async def many(events: Sequence[EventEnvelope]) -> None:
        batches.append([event.payload["seq"] for event in events])

    group = f"g-{uuid.uuid4().hex[:8]}"
    runner = consumer(kafka_bootstrap, topic, one, group=group, batch_handler=many)
    async with runner:
        await eventually(lambda: _is(runner.status.handled == 5))
    assert [seq for batch in batches for seq in batch] + singles == [0, 1, 2, 3, 4]
    assert any(len(batch) > 1 for batch in batches)
    assert await committed_offset(kafka_bootstrap, group, topic) == 5


async def test_a_failing_batch_is_handled_record_by_record(
    kafka_bootstrap: str, topic: str
) -> None:
    await produce(kafka_bootstrap, topic, [envelope(seq) for seq in range(4)])
    singles: list[int] = []

    async def one(event: EventEnvelope) -> None:
        singles.append(event.payload["seq"])

    async def many(events: Sequence[EventEnvelope]) -> None:
        raise ValueError("this batch cannot be stored at once")

    group = f"g-{uuid.uuid4().hex[:8]}"
    runner = consumer(kafka_bootstrap, topic, one, group=group, batch_handler=many)
    async with runner:
        await eventually(lambda: _is(runner.status.handled == 4))
    assert singles == [0, 1, 2, 3]
    assert await committed_offset(kafka_bootstrap, group, topic) == 4
