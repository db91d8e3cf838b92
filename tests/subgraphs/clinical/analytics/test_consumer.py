"""The analytics consumer group over a real broker: duplicates delivered twice count once,
poison events are parked, the lag drains to zero, and a rebuild from the topics gives the same."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from aiokafka import AIOKafkaProducer

from subgraphs.clinical.analytics.consumer import analytics_consumer, rebuild
from subgraphs.clinical.analytics.lag import ConsumerLag, consumer_lag
from subgraphs.clinical.analytics.service import Report, report
from subgraphs.common.database import Database
from subgraphs.common.events.backoff import Backoff
from subgraphs.common.events.topics import TopicSpec, ensure_topics
from tests.subgraphs.clinical.analytics.synthetic import DAY, known_day
from tests.subgraphs.clinical.analytics.test_service import assert_known_figures

REPO = Path(__file__).resolve().parents[4]


async def _publish(bootstrap: str, records: Sequence[tuple[str, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for topic, value in records:
            await producer.send_and_wait(topic, value, key=uuid.uuid4().bytes)
    finally:
        await producer.stop()


async def _drained(bootstrap: str, group: str, topics: list[str]) -> ConsumerLag:
    async with asyncio.timeout(30):
        while True:
            lag = await consumer_lag(bootstrap, group=group, topics=topics)
            if lag.partitions and lag.total == 0:
                return lag
            await asyncio.sleep(0.2)


async def _report(database: Database) -> Report:
    async with database.session() as session:
        return await report(session, start=DAY - timedelta(days=2), end=DAY + timedelta(days=8))


async def test_the_group_counts_once_parks_poison_drains_and_rebuilds(
    database: Database, kafka_bootstrap: str
) -> None:
    suffix = uuid.uuid4().hex[:8]
    specs = [
        TopicSpec(f"analytics-test-{suffix}.clinical", 3),
        TopicSpec(f"analytics-test-{suffix}.auth", 1),
    ]
    topics = [spec.name for spec in specs]
    await ensure_topics(kafka_bootstrap, specs)
    known = known_day()
    broken = known.events[3].model_copy(update={"id": uuid.uuid4(), "payload": {"doctorId": "?"}})
    records = [(topics[i % 2], event.to_bytes()) for i, event in enumerate(known.events)]
    poison = [(topics[0], b"not an event"), (topics[1], broken.to_bytes())]
    await _publish(kafka_bootstrap, records + poison + records)  # every event delivered twice

    group = f"analytics-test-{suffix}"
    consumer = analytics_consumer(
        database,
        kafka_bootstrap,
        group_id=group,
        topics=topics,
        max_attempts=2,
        backoff=Backoff(initial=0.01, maximum=0.05),
        consumer_options={"session_timeout_ms": 2000, "heartbeat_interval_ms": 300},
    )
    async with consumer:
        lag = await _drained(kafka_bootstrap, group, topics)
        assert {p.topic for p in lag.partitions} == set(topics)
        assert consumer.status.dead_lettered == 2
    live = await _report(database)
    assert_known_figures(live, known.doctors)

    rebuilt = await rebuild(database, kafka_bootstrap, group_id=group, topics=topics)
    assert rebuilt.events == 2 * len(records) + len(poison)
    assert rebuilt.applied == len(known.events) - 1  # the uncounted one is never recorded
    assert await _report(database) == live


async def test_the_rebuild_command_replays_the_analytics_topics(
    clinical_url: str, kafka_bootstrap: str
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "subgraphs.clinical.analytics",
        "rebuild",
        env={
            **os.environ,
            "CLINICAL_DATABASE_URL": clinical_url,
            "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        },
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert re.fullmatch(r"rebuilt from \d+ events \(\d+ applied\) in [\d.]+s\n", out.decode())
