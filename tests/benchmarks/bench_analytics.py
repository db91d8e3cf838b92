"""The analytics consumer: events per second it sustains, and its lag under a burst.

``python -m tests.benchmarks analytics``; embedded PostgreSQL and Tansu unless ``DATABASE_URL`` /
``KAFKA_BOOTSTRAP_SERVERS`` are set. ``BENCH_ANALYTICS_EVENTS`` (100,000) synthetic events
(bookings, cancellations, sign-ins, invoices and payments over 50 doctors, on two topics of 3
partitions) are measured three ways:

- backlog: published first, then the consumer group starts; events / seconds until no lag;
- burst: published as fast as the producer can while the (caught-up) group runs; the largest lag
  sampled (events the broker acknowledged less events the group handled, every 50 ms), and how
  long the group takes to drain it once the whole burst is acknowledged;
- rebuild: the store reset and both runs replayed from the earliest offsets.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from aiokafka import AIOKafkaProducer

from subgraphs.clinical.analytics.consumer import analytics_consumer, rebuild
from subgraphs.clinical.analytics.lag import consumer_lag
from subgraphs.common.database import Database
from subgraphs.common.events.consumer import EventConsumer
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import TopicSpec, ensure_topics
from tests.benchmarks.services import kafka_bootstrap, migrated_database, postgres_server
from tests.subgraphs.clinical.analytics.synthetic import appointment, at, invoice, sign_in

__all__ = ["Figures", "main", "run_benchmark"]

DOCTORS = 50
PARTITIONS = 3
SAMPLE_EVERY = 0.05  # seconds between lag samples


@dataclass(frozen=True, slots=True)
class Figures:
    events: int
    backlog_seconds: float
    burst_publish_seconds: float
    burst_max_lag: int
    burst_drain_seconds: float  # after the last event of the burst was acknowledged
    lag_after: int  # the group's lag as the broker reports it (``analyticsLag``), once stopped
    rebuild_seconds: float

    def lines(self) -> list[str]:
        backlog_rate = self.events / self.backlog_seconds
        publish_rate = self.events / self.burst_publish_seconds
        rebuild_rate = 2 * self.events / self.rebuild_seconds
        return [
            (
                f"analytics consumer, {self.events:,} events per run, {DOCTORS} doctors,"
                f" 2 topics x {PARTITIONS} partitions"
            ),
            f"  backlog: {self.backlog_seconds:7.2f} s  {backlog_rate:9,.0f} events/s",
            (
                f"  burst:   published in {self.burst_publish_seconds:.2f} s ({publish_rate:,.0f}"
                f" events/s); max lag {self.burst_max_lag:,} events;"
                f" drained {self.burst_drain_seconds:.2f} s after the burst"
            ),
            f"  analyticsLag once drained: {self.lag_after} events",
            (
                f"  rebuild: {self.rebuild_seconds:7.2f} s  {rebuild_rate:9,.0f} events/s"
                " (both runs, reset first)"
            ),
        ]


def synthetic_events(count: int, *, seed: int) -> list[EventEnvelope]:
    """``count`` events: 40 % bookings, 10 % cancellations, 30 % sign-ins, 20 % billing."""
    rng = random.Random(seed)
    doctors = [uuid.uuid4() for _ in range(DOCTORS)]
    events: list[EventEnvelope] = []
    for _ in range(count):
        occurred = at(rng.uniform(0, 24 * 30))
        doctor = rng.choice(doctors)
        draw = rng.random()
        if draw < 0.4:
            starts = occurred + timedelta(hours=rng.randint(1, 24 * 20))
            events.append(appointment("booked", doctor, occurred=occurred, starts=starts))
        elif draw < 0.5:
            events.append(appointment("cancelled", doctor, occurred=occurred, starts=occurred))
        elif draw < 0.8:
            events.append(sign_in(occurred=occurred, failed=draw > 0.75))
        else:
            kind = "issued" if draw < 0.9 else "paid"
            events.append(invoice(kind, occurred=occurred, amount=rng.randint(1000, 20000)))
    return events


class Published:
    """Events the broker acknowledged so far (the lag is this minus what the group handled)."""

    def __init__(self) -> None:
        self.acknowledged = 0

    def count(self, _: object) -> None:
        self.acknowledged += 1


async def publish(
    bootstrap: str,
    topics: Sequence[str],
    events: Sequence[EventEnvelope],
    published: Published | None = None,
) -> None:
    """Every event to one of ``topics`` (by event kind), keyed by aggregate, all acknowledged."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_batch_size=512 * 1024
    )
    await producer.start()
    try:
        sent = []
        for event in events:
            topic = topics[0] if event.type.startswith("appointment.") else topics[1]
            future = await producer.send(topic, event.to_bytes(), key=event.aggregate_id.encode())
            if published is not None:
                future.add_done_callback(published.count)
            sent.append(future)
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def _handled(consumer: EventConsumer, count: int, *, within: float) -> None:
    deadline = time.perf_counter() + within
    while consumer.status.handled < count:
        if time.perf_counter() > deadline:
            raise TimeoutError("the analytics consumer did not catch up")
        await asyncio.sleep(0.01)


async def run_benchmark(server_url: str, bootstrap: str, *, events: int) -> Figures:
    """The three measurements of the module docstring, on a fresh clinical database."""
    async with migrated_database(server_url, "clinical") as url:
        database = Database(url)
        suffix = uuid.uuid4().hex[:8]
        specs = [TopicSpec(f"bench.analytics.{suffix}.{name}", PARTITIONS) for name in ("a", "b")]
        topics = [spec.name for spec in specs]
        await ensure_topics(bootstrap, specs)
        backlog, burst = synthetic_events(events, seed=1), synthetic_events(events, seed=2)
        within = max(60.0, events / 200)
        group = f"bench-analytics-{suffix}"
        consumer = analytics_consumer(
            database,
            bootstrap,
            group_id=group,
            topics=topics,
            consumer_options={"session_timeout_ms": 6000, "heartbeat_interval_ms": 500},
        )
        try:
            await publish(bootstrap, topics, backlog)
            async with consumer:
                started = time.perf_counter()
                await _handled(consumer, events, within=within)
                backlog_seconds = time.perf_counter() - started

                published = Published()
                max_lag = 0
                publishing = asyncio.create_task(publish(bootstrap, topics, burst, published))
                started = time.perf_counter()
                while not publishing.done():
                    lag = events + published.acknowledged - consumer.status.handled
                    max_lag = max(max_lag, lag)
                    await asyncio.sleep(SAMPLE_EVERY)
                await publishing
                burst_done = time.perf_counter()
                max_lag = max(max_lag, 2 * events - consumer.status.handled)
                await _handled(consumer, 2 * events, within=within)
                drained = time.perf_counter()
            remaining = (await consumer_lag(bootstrap, group=group, topics=topics)).total
            rebuilt = await rebuild(database, bootstrap, group_id=group, topics=topics)
        finally:
            await database.dispose()
        if rebuilt.events != 2 * events:
            raise RuntimeError(f"the rebuild read {rebuilt.events} events, not {2 * events}")
        return Figures(
            events=events,
            backlog_seconds=backlog_seconds,
            burst_publish_seconds=burst_done - started,
            burst_max_lag=max_lag,
            burst_drain_seconds=drained - burst_done,
            lag_after=remaining,
            rebuild_seconds=rebuilt.seconds,
        )


async def main() -> None:
    events = int(os.environ.get("BENCH_ANALYTICS_EVENTS", "100000"))
    with postgres_server() as server_url, kafka_bootstrap() as bootstrap:
        figures = await run_benchmark(server_url, bootstrap, events=events)
    print("\n".join(figures.lines()))
