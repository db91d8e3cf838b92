"""Test helpers for the event pipeline: write outbox events, read a topic back, check order."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer
from sqlalchemy import text

from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.outbox import record_event

__all__ = [
    "Received",
    "assert_delivered_in_order",
    "commit_events",
    "count_unpublished",
    "eventually",
    "read_topic",
    "record_change",
    "unique_topic",
]


def unique_topic(prefix: str = "test") -> str:
    """A topic name no other test uses on the shared broker."""
    return f"{prefix}.{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True, slots=True)
class Received:
    partition: int
    offset: int
    key: bytes | None
    envelope: EventEnvelope


async def record_change(
    session: AsyncSession, topic: str, aggregate: str, seq: int
) -> EventEnvelope:
    """Record change number ``seq`` of ``aggregate`` (a synthetic "thing") for ``topic``."""
    return await record_event(
        session,
        topic=topic,
        type="thing.changed",
        aggregate_type="thing",
        aggregate_id=aggregate,
        actor="synthetic-user",
        payload={"seq": seq},
    )


async def commit_events(
    database: Database,
    topic: str,
    aggregates: Sequence[str],
    *,
    count: int,
    concurrency: int = 1,
    first_seq: int = 0,
    per_transaction: int = 1,
) -> list[EventEnvelope]:
    """Commit ``count`` changes round-robin over ``aggregates``, ``per_transaction`` per commit.

    Each payload carries ``seq``, the event's rank within its aggregate (from ``first_seq``).
    With ``concurrency`` > 1 several writers commit at once; each writer owns whole aggregates,
    so per-aggregate commit order is still the order of ``seq`` (as it is when writers lock the
    aggregate's row).
    """
    plan = [
        (aggregates[i % len(aggregates)], first_seq + i // len(aggregates)) for i in range(count)
    ]
    committed: list[EventEnvelope] = []

    async def writer(lane: int) -> None:
        mine = [step for step in plan if aggregates.index(step[0]) % concurrency == lane]
        for start in range(0, len(mine), per_transaction):
            async with database.transaction() as session:
                for aggregate, seq in mine[start : start + per_transaction]:
                    committed.append(await record_change(session, topic, aggregate, seq))

    await asyncio.gather(*(writer(lane) for lane in range(concurrency)))
    return committed


async def count_unpublished(database: Database) -> int:
    async with database.session() as session:
        connection = await session.connection()
        result = await connection.execute(
            text("SELECT count(*) FROM outbox_event WHERE published_at IS NULL")
        )
        return int(result.scalar_one())


async def read_topic(
    bootstrap_servers: str,
    topic: str,
    *,
    expected_ids: Iterable[uuid.UUID],
    within: float = 60.0,
    settle: float = 0.0,
) -> list[Received]:
    """Every record of ``topic`` from the beginning until all ``expected_ids`` were seen.

    ``settle`` keeps reading that many seconds longer, to catch late duplicates.
    """
    missing = set(expected_ids)
    received: list[Received] = []
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=100,
    )
    await consumer.start()
    try:
        async with asyncio.timeout(within):
            while missing:
                batches = await consumer.getmany(timeout_ms=200)
                for records in batches.values():
                    for record in records:
                        assert record.value is not None
                        envelope = EventEnvelope.from_bytes(record.value)
                        missing.discard(envelope.id)
                        received.append(
                            Received(record.partition, record.offset, record.key, envelope)
                        )
            if settle:
                loop = asyncio.get_running_loop()
                until = loop.time() + settle
                while loop.time() < until:
                    batches = await consumer.getmany(timeout_ms=100)
                    for records in batches.values():
                        received.extend(
                            Received(
                                r.partition, r.offset, r.key, EventEnvelope.from_bytes(r.value)
                            )
                            for r in records
                            if r.value is not None
                        )
    except TimeoutError:
        raise AssertionError(f"{len(missing)} events never arrived on {topic}") from None
    finally:
        await consumer.stop()
    return received


def assert_delivered_in_order(
    received: Sequence[Received], committed: Sequence[EventEnvelope]
) -> dict[str, int]:
    """After de-duplication by event id: every committed event exactly once, in order per aggregate.

    ``received`` is in consumption order per partition. Returns how many duplicates were dropped
    per aggregate.
    """
    by_partition: dict[int, list[Received]] = {}
    for item in received:
        by_partition.setdefault(item.partition, []).append(item)
    seen: set[uuid.UUID] = set()
    delivered: dict[str, list[EventEnvelope]] = {}
    duplicates: dict[str, int] = {}
    partition_of: dict[str, int] = {}
    for partition, items in by_partition.items():
        offsets = [item.offset for item in items]
        assert offsets == sorted(offsets), f"partition {partition} read out of offset order"
        for item in items:
            aggregate = item.envelope.aggregate_id
            assert item.key == aggregate.encode(), "the Kafka key must be the aggregate id"
            assert partition_of.setdefault(aggregate, partition) == partition, (
                f"aggregate {aggregate} spread over several partitions"
            )
            if item.envelope.id in seen:
                duplicates[aggregate] = duplicates.get(aggregate, 0) + 1
                continue
            seen.add(item.envelope.id)
            delivered.setdefault(aggregate, []).append(item.envelope)
    expected: dict[str, list[EventEnvelope]] = {}
    for envelope in committed:
        expected.setdefault(envelope.aggregate_id, []).append(envelope)
    for events in expected.values():
        events.sort(key=lambda envelope: envelope.payload["seq"])
    assert sorted(delivered) == sorted(expected), "aggregates missing or unexpected"
    for aggregate, events in expected.items():
        got = [envelope.id for envelope in delivered[aggregate]]
        want = [envelope.id for envelope in events]
        assert len(got) == len(want), f"{aggregate}: {len(got)} delivered, {len(want)} committed"
        assert got == want, f"{aggregate}: events out of order"
    return duplicates


async def eventually(
    predicate: Callable[[], Awaitable[bool]], *, within: float = 30.0, interval: float = 0.05
) -> None:
    """Wait until ``await predicate()`` is true, or fail after ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await predicate():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(interval)
