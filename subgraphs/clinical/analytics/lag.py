"""Consumer lag: how many events of each partition a consumer group has yet to commit.

Read from the broker (the group's committed offsets against the partitions' end offsets), so it
is the same whichever replica asks and counts events the group has not even fetched yet.
Tansu (the embedded broker) reports a partition's end as its last record batch's base offset + 1,
so there the lag is a lower bound: it misses at most the rest of the last batch of a partition.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from subgraphs.common.events.clients import close_quietly, started

__all__ = ["ConsumerLag", "PartitionLag", "consumer_lag", "partitions_of"]


@dataclass(frozen=True, slots=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int  # the next offset the group will handle (0 before its first commit)
    end: int  # the offset the next published event will get

    @property
    def lag(self) -> int:
        return max(self.end - self.committed, 0)


@dataclass(frozen=True, slots=True)
class ConsumerLag:
    group: str
    partitions: tuple[PartitionLag, ...]

    @property
    def total(self) -> int:
        return sum(partition.lag for partition in self.partitions)


async def partitions_of(client: AIOKafkaConsumer, topics: Sequence[str]) -> list[TopicPartition]:
    """Every partition of ``topics`` the broker knows (a topic not created yet has none)."""
    existing = await client.topics()
    return [
        TopicPartition(topic, partition)
        for topic in topics
        if topic in existing
        for partition in sorted(client.partitions_for_topic(topic) or ())
    ]


async def consumer_lag(
    bootstrap_servers: str, *, group: str, topics: Sequence[str], within: float = 5.0
) -> ConsumerLag:
    """The lag of ``group`` on every partition of ``topics`` (topics not created yet: none)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers,
        client_id="healthgraph-analytics-lag",
        request_timeout_ms=int(within * 1000),
    )
    probe: AIOKafkaConsumer | None = None
    try:
        async with asyncio.timeout(within):
            await admin.start()
            probe = await started(
                AIOKafkaConsumer(
                    bootstrap_servers=bootstrap_servers, client_id="healthgraph-analytics-lag"
                )
            )
            partitions = await partitions_of(probe, topics)
            ends = await probe.end_offsets(partitions) if partitions else {}
            committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
    finally:
        await close_quietly(probe)
        with contextlib.suppress(Exception):
            await admin.close()
    return ConsumerLag(
        group=group,
        partitions=tuple(
            PartitionLag(
                topic=tp.topic,
                partition=tp.partition,
                committed=max(committed[tp].offset, 0) if tp in committed else 0,
                end=ends.get(tp, 0),
            )
            for tp in partitions
        ),
    )
