"""The kernel's metrics: Kafka consumer lag per group and partition, bounded operation names."""

from __future__ import annotations

import asyncio
import uuid

from prometheus_client import REGISTRY

from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import TopicSpec, ensure_topics
from tests.subgraphs.common.events.helpers import eventually, unique_topic
from tests.subgraphs.common.events.test_consumer import consumer, envelope, produce


def _lag(group: str, topic: str) -> float | None:
    return REGISTRY.get_sample_value(
        "healthgraph_kafka_consumer_lag_records",
        {"group": group, "topic": topic, "partition": "0"},
    )


async def test_consumer_lag_counts_down_to_zero(kafka_bootstrap: str) -> None:
    topic = unique_topic()
    await ensure_topics(kafka_bootstrap, [TopicSpec(topic, partitions=1)])
    await produce(kafka_bootstrap, topic, [envelope(seq) for seq in range(5)])
    group = f"g-{uuid.uuid4().hex[:8]}"
    seen: list[float | None] = []

    async def handle(event: EventEnvelope) -> None:
        del event
        seen.append(_lag(group, topic))

    async with consumer(kafka_bootstrap, topic, handle, group=group, max_records=1):
        await eventually(lambda: asyncio.sleep(0, len(seen) == 5))
        await eventually(lambda: asyncio.sleep(0, _lag(group, topic) == 0))
    assert seen[1:] == [4.0, 3.0, 2.0, 1.0]  # measured after each record is committed
