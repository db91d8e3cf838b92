"""Outbox relay throughput (commit to broker ack) and commit-to-consumer latency.

``python -m tests.benchmarks outbox``; embedded PostgreSQL and Tansu unless ``DATABASE_URL`` /
``KAFKA_BOOTSTRAP_SERVERS`` are set. The raw-producer figure is the ceiling: the same record
batches sent by aiokafka with no database in the loop.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner

from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.consumer import EventConsumer, IdempotentHandler
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import TopicSpec, ensure_topics
from subgraphs.common.outbox import record_event
from subgraphs.common.outbox.relay import OutboxRelay, RelayState, event_headers
from tests.benchmarks.services import kafka_bootstrap, migrated_database, postgres_server

__all__ = ["main"]

EVENTS = 10_000
AGGREGATES = 100
PARTITIONS = 6
LATENCY_SAMPLES = 200


def _payload(i: int) -> dict[str, object]:
    return {"seq": i // AGGREGATES, "slot": "2026-11-21T09:00:00Z", "room": "B-12"}


def _aggregate(i: int) -> str:
    return f"appointment-{i % AGGREGATES}"


async def _record(session: AsyncSession, topic: str, i: int) -> EventEnvelope:
    return await record_event(
        session,
        topic=topic,
        type="appointment.booked",
        aggregate_type="appointment",
        aggregate_id=_aggregate(i),
        actor="synthetic-user",
        payload=_payload(i),
    )


async def _topic(bootstrap: str) -> TopicSpec:
    spec = TopicSpec(f"bench.outbox.{uuid.uuid4().hex[:8]}", PARTITIONS)
    await ensure_topics(bootstrap, [spec])
    return spec


async def _wait(
    condition: Callable[[], bool], *, within: float = 300.0, poll: float = 0.002
) -> None:
    deadline = time.perf_counter() + within
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark condition not met")
        await asyncio.sleep(poll)


async def relay_throughput(server_url: str, bootstrap: str, *, batch_size: int) -> float:
    """Seconds from committing ``EVENTS`` events (one transaction) until the broker acked all."""
    async with migrated_database(server_url, "common") as url:
        database = Database(url)
        spec = await _topic(bootstrap)
        relay = OutboxRelay(
            database_url=url,
            bootstrap_servers=bootstrap,
            batch_size=batch_size,
            topics={spec.name: spec},
        )
        relay.start()
        try:
            # Warm up: connection, advisory lock, producer and topic metadata.
            async with database.transaction() as session:
                await _record(session, spec.name, 0)
            await _wait(lambda: relay.status.published == 1)
            async with database.transaction() as session:
                for i in range(EVENTS):
                    await _record(session, spec.name, i)
                started = time.perf_counter()
            await _wait(lambda: relay.status.published == EVENTS + 1)
            return time.perf_counter() - started
        finally:
            await relay.stop()
            await database.dispose()


async def raw_producer_throughput(bootstrap: str) -> float:
    """Seconds for aiokafka alone to publish the same events as per-partition record batches."""
    spec = await _topic(bootstrap)
    values = [
        EventEnvelope(
            type="appointment.booked",
            aggregate_type="appointment",
            aggregate_id=_aggregate(i),
            actor="synthetic-user",
            payload=_payload(i),
        ).to_bytes()
        for i in range(EVENTS)
    ]
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=0, max_batch_size=1024 * 1024
    )
    await producer.start()
    try:
        partitions = sorted(await producer.partitions_for(spec.name))
        started = time.perf_counter()
        per_partition: dict[int, list[int]] = {}
        for i in range(EVENTS):
            key = _aggregate(i).encode()
            partition = DefaultPartitioner()(key, partitions, partitions)
            per_partition.setdefault(partition, []).append(i)

        async def send(partition: int, indices: list[int]) -> None:
            position = 0
            while position < len(indices):
                batch = producer.create_batch()
                while position < len(indices):
                    i = indices[position]
                    headers = event_headers(str(uuid.uuid4()), "appointment.booked", "appointment")
                    key = _aggregate(i).encode()
                    if (
                        batch.append(timestamp=None, key=key, value=values[i], headers=headers)
                        is None
                    ):
                        break
                    position += 1
                await (await producer.send_batch(batch, spec.name, partition=partition))

        await asyncio.gather(*(send(p, idx) for p, idx in per_partition.items()))
        return time.perf_counter() - started
    finally:
        await producer.stop()


async def commit_to_consumer_latency(
    server_url: str, bootstrap: str, *, idempotent: bool
) -> list[float]:
    """Milliseconds from a single event's commit until a consumer handled it, per sample."""
    async with migrated_database(server_url, "common") as url:
        database = Database(url)
        spec = await _topic(bootstrap)
        arrived: dict[uuid.UUID, asyncio.Future[float]] = {}
        group = f"bench-{uuid.uuid4().hex[:8]}"

        async def effect(event: EventEnvelope, session: AsyncSession) -> None:
            """No effect of its own: the processed_event insert and commit are what is measured."""

        inner: Callable[[EventEnvelope], Awaitable[None]] | None = (
            IdempotentHandler(database=database, consumer=group, handler=effect)
            if idempotent
            else None
        )

        async def handler(event: EventEnvelope) -> None:
            if inner is not None:
                await inner(event)
            future = arrived.get(event.id)
            if future is not None and not future.done():
                future.set_result(time.perf_counter())

        relay = OutboxRelay(database_url=url, bootstrap_servers=bootstrap, topics={spec.name: spec})
        consumer = EventConsumer(
            bootstrap_servers=bootstrap,
            topics=[spec.name],
            group_id=group,
            handler=handler,
            consumer_options={"session_timeout_ms": 2000, "heartbeat_interval_ms": 300},
        )
        relay.start()
        consumer.start()
        loop = asyncio.get_running_loop()
        samples: list[float] = []
        try:
            await _wait(lambda: relay.status.state is RelayState.ACTIVE)
            await _wait(lambda: len(consumer.status.assigned) == PARTITIONS)
            for i in range(LATENCY_SAMPLES + 5):  # the first five warm up
                async with database.transaction() as session:
                    envelope = await _record(session, spec.name, i)
                    future: asyncio.Future[float] = loop.create_future()
                    arrived[envelope.id] = future
                committed = time.perf_counter()
                handled = await asyncio.wait_for(future, 30)
                if i >= 5:
                    samples.append((handled - committed) * 1000)
        finally:
            await consumer.stop()
            await relay.stop()
            await database.dispose()
        return samples


async def commit_to_ack_latency(server_url: str, bootstrap: str) -> list[float]:
    """Milliseconds from a single event's commit until the relay has the broker's ack."""
    async with migrated_database(server_url, "common") as url:
        database = Database(url)
        spec = await _topic(bootstrap)
        relay = OutboxRelay(database_url=url, bootstrap_servers=bootstrap, topics={spec.name: spec})
        relay.start()
        samples: list[float] = []
        try:
            await _wait(lambda: relay.status.state is RelayState.ACTIVE)
            for i in range(LATENCY_SAMPLES + 5):
                async with database.transaction() as session:
                    await _record(session, spec.name, i)
                committed = time.perf_counter()

                def acked(target: int = i + 1) -> bool:
                    return relay.status.published >= target

                await _wait(acked, poll=0.0002)
                if i >= 5:
                    samples.append((time.perf_counter() - committed) * 1000)
        finally:
            await relay.stop()
            await database.dispose()
        return samples


def _percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return (
        f"p50 {cuts[49]:6.1f} ms   p90 {cuts[89]:6.1f} ms   p99 {cuts[98]:6.1f} ms"
        f"   max {max(samples):6.1f} ms"
    )


async def main() -> None:
    with postgres_server() as server_url, kafka_bootstrap() as bootstrap:
        print(
            f"outbox relay throughput: {EVENTS:,} events committed in one transaction over"
            f" {AGGREGATES} aggregates, {PARTITIONS} partitions; commit -> every broker ack"
        )
        raw = await raw_producer_throughput(bootstrap)
        raw_rate = EVENTS / raw
        for batch_size in (200, 1000):
            seconds = await relay_throughput(server_url, bootstrap, batch_size=batch_size)
            rate = EVENTS / seconds
            label = f"relay, batch {batch_size}" + (" (default)" if batch_size == 200 else "")
            print(
                f"  {label:28} {seconds:6.2f} s  {rate:9,.0f} events/s"
                f"  ({rate / raw_rate:.2f}x raw producer)"
            )
        print(f"  {'raw aiokafka, no database':28} {raw:6.2f} s  {raw_rate:9,.0f} events/s")

        print(
            f"commit -> consumer latency: {LATENCY_SAMPLES} single-event commits, one at a time"
            " (LISTEN/NOTIFY wake-up, poll fallback 1 s; consumer fetch wait 50 ms, which Tansu"
            " always waits out)"
        )
        samples = await commit_to_ack_latency(server_url, bootstrap)
        print(f"  {'relay only: commit -> ack':28} {_percentiles(samples)}")
        for idempotent in (False, True):
            samples = await commit_to_consumer_latency(server_url, bootstrap, idempotent=idempotent)
            label = "idempotent handler (DB tx)" if idempotent else "plain handler"
            print(f"  {label:28} {_percentiles(samples)}")
