"""This process's follower of the live topics: its own Kafka consumer, fanned out in memory.

Every process reads every event (a manually assigned partition, no consumer group), stores it
in the shared ``live_feed_event`` log (:mod:`subgraphs.clinical.live.store`), keeps a replay
window per topic, and hands each event to its local subscribers. A position is the event's
number in that log: the same in every process, rising in broker order, and kept across
restarts of the broker (whose offsets start again from 0) and of the service, so a client may
resume on any replica, also after a restart. While idle, the feed re-reads the last record it
read, every ``verify_interval`` seconds, to notice a broker that restarted empty under it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from types import TracebackType

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from subgraphs.clinical.live.errors import LiveFeedUnavailable, SubscriberLagged
from subgraphs.clinical.live.replay import FeedEvent, ReplayBuffer
from subgraphs.clinical.live.store import load_window, prune, record_events
from subgraphs.common.database import Database
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import TopicSpec, ensure_topics

__all__ = ["FeedSubscription", "LiveFeed", "SinglePartitionRequired"]

logger = logging.getLogger(__name__)

_POLL_MS = 200
_MAX_BACKOFF = 10.0
_PRUNE_EVERY = 100  # stored events of a topic between two prunings of its log


def _digest(value: bytes | None) -> bytes:
    return hashlib.blake2b(value or b"", digest_size=16).digest()


class SinglePartitionRequired(RuntimeError):
    """A live topic has several partitions, so its offsets are no total order of events."""


class FeedSubscription:
    """One subscriber's stream: the replayed backlog, then live events, until closed."""

    def __init__(
        self, feed: LiveFeed, topic: str, backlog: list[FeedEvent], queue_size: int
    ) -> None:
        self._feed = feed
        self.topic = topic
        self._backlog = list(backlog)
        self._queue: asyncio.Queue[FeedEvent] = asyncio.Queue(maxsize=queue_size)
        self._lagged = False
        self.last_position: int | None = None

    def offer(self, event: FeedEvent) -> None:
        """Called by the feed for every new event; a full queue drops this subscriber."""
        if self._lagged:
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self._lagged = True
            self._feed.unsubscribe(self)

    def __aiter__(self) -> AsyncIterator[FeedEvent]:
        return self

    async def __anext__(self) -> FeedEvent:
        if self._backlog:
            event = self._backlog.pop(0)
        elif self._lagged and self._queue.empty():
            raise SubscriberLagged(last_position=self.last_position)
        else:
            event = await self._queue.get()
        self.last_position = event.position
        return event

    def close(self) -> None:
        self._feed.unsubscribe(self)

    def __enter__(self) -> FeedSubscription:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class LiveFeed:
    """Follows ``topics`` from the broker and serves subscriptions with bounded replay."""

    def __init__(
        self,
        *,
        database: Database,
        bootstrap_servers: str,
        topics: Iterable[str],
        replay_capacity: int = 10_000,
        queue_size: int = 1_000,
        verify_interval: float = 5.0,
        fetch_max_wait_ms: int = 20,
    ) -> None:
        self.database = database
        self.bootstrap_servers = bootstrap_servers
        self.topics = tuple(topics)
        self.queue_size = queue_size
        self._buffers = {topic: ReplayBuffer(replay_capacity) for topic in self.topics}
        self._subscribers: dict[str, set[FeedSubscription]] = {
            topic: set() for topic in self.topics
        }
        # Where to resume reading each topic's partition: broker offsets, kept apart from
        # positions (a broker that restarted empty numbers its offsets from 0 again).
        self._offsets: dict[str, int] = {}
        # The offset and digest of the last record read, and of the one being re-read to check
        # that the broker still holds the same log.
        self._last: dict[str, tuple[int, bytes]] = {}
        self._verifying: dict[str, tuple[int, bytes]] = {}
        self.verify_interval = verify_interval
        self.fetch_max_wait_ms = fetch_max_wait_ms
        self._unpruned = dict.fromkeys(self.topics, 0)
        self._loaded = False
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.problem = "starting"

    # ---------------------------------------------------------------- subscriptions

    def subscribe(self, topic: str, since: int | None = None) -> FeedSubscription:
        """Events of ``topic`` after ``since`` (replayed) and every later one (live).

        The backlog snapshot and the registration happen without yielding to the event loop,
        so no event falls between them or arrives twice.
        """
        if not self._ready.is_set():
            raise LiveFeedUnavailable(self.problem)
        backlog = self._buffers[topic].after(since) if since is not None else []
        subscription = FeedSubscription(self, topic, backlog, self.queue_size)
        self._subscribers[topic].add(subscription)
        return subscription

    def unsubscribe(self, subscription: FeedSubscription) -> None:
        self._subscribers[subscription.topic].discard(subscription)

    def subscriber_count(self, topic: str) -> int:
        return len(self._subscribers[topic])

    async def wait_ready(self, limit: float) -> None:
        """Wait until the feed has caught up with the broker; LIVE_FEED_UNAVAILABLE otherwise."""
        try:
            await asyncio.wait_for(self._ready.wait(), limit)
        except TimeoutError as exc:
            raise LiveFeedUnavailable(self.problem) from exc

    async def check(self) -> None:
        """Readiness check: raise unless the feed is following the broker."""
        if not self._ready.is_set():
            raise ConnectionError(f"live feed not ready: {self.problem}")

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="clinical-live-feed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._ready.clear()

    async def _run(self) -> None:
        backoff = 0.5
        while True:
            try:
                await self._follow()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 (any broker failure: report, back off, retry)
                self._ready.clear()
                self.problem = f"{type(exc).__name__}: {exc}"
                logger.warning(
                    "live feed interrupted (%s); retrying in %.1fs", self.problem, backoff
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, _MAX_BACKOFF)
            else:
                backoff = 0.5

    async def _ensure_topics(self) -> None:
        """Create missing live topics with one partition; refuse topics with several."""
        await ensure_topics(self.bootstrap_servers, [TopicSpec(topic, 1) for topic in self.topics])
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers)
        await admin.start()
        try:
            described = await admin.describe_topics(list(self.topics))
        finally:
            await admin.close()
        for topic in described:
            count = len(topic["partitions"])
            if count != 1:
                raise SinglePartitionRequired(
                    f"topic {topic['topic']} has {count} partitions; live subscriptions need "
                    "exactly one, so that its offsets order every event"
                )

    async def _load(self) -> None:
        """Fill each replay window from the stored log (once: later it is kept up to date)."""
        for topic in self.topics:
            buffer = self._buffers[topic]
            await prune(self.database, topic, buffer.capacity)
            floor, events = await load_window(self.database, topic, buffer.capacity)
            buffer.reset(floor)
            for event in events:
                buffer.append(event)
        self._loaded = True

    async def _follow(self) -> None:
        await self._ensure_topics()
        if not self._loaded:
            await self._load()
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            client_id=f"clinical-live-{os.getpid()}",
            fetch_max_wait_ms=self.fetch_max_wait_ms,
        )
        await consumer.start()
        try:
            partitions = [TopicPartition(topic, 0) for topic in self.topics]
            consumer.assign(partitions)
            end = await self._resync(consumer, partitions)
            next_check = time.monotonic() + self.verify_interval
            while True:
                batch = await consumer.getmany(timeout_ms=_POLL_MS, max_records=1_000)
                for partition, records in batch.items():
                    await self._publish(partition.topic, await self._verified(consumer, records))
                if not batch and time.monotonic() >= next_check:
                    end = await self._resync(consumer, partitions)
                    next_check = time.monotonic() + self.verify_interval
                if not self._ready.is_set() and all(
                    p.topic not in self._verifying and self._offsets[p.topic] >= end[p]
                    for p in partitions
                ):
                    self.problem = "ok"
                    self._ready.set()
        finally:
            await consumer.stop()

    async def _resync(
        self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]
    ) -> dict[TopicPartition, int]:
        """Seek every partition: to where this feed was, re-reading the last record it read.

        A broker that restarted empty numbers its offsets from 0 again, so an offset alone does
        not say whether the log is the one this feed was reading: the record before it must be
        the same one (checked by :meth:`_verified`); otherwise the log is read from its start.
        """
        first = await consumer.beginning_offsets(partitions)
        end: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
        for partition in partitions:
            topic = partition.topic
            last = self._last.get(topic)
            if topic not in self._offsets:  # first start: the stored log holds what came before
                self._offsets[topic] = max(
                    first[partition], end[partition] - self._buffers[topic].capacity
                )
                consumer.seek(partition, self._offsets[topic])
            elif last is not None and first[partition] <= last[0] < end[partition]:
                self._verifying[topic] = last
                consumer.seek(partition, last[0])
            elif last is not None or self._offsets[topic] > end[partition]:
                self._log_replaced(consumer, partition, first[partition])
            else:  # nothing read yet
                consumer.seek(partition, self._offsets[topic])
        return end

    async def _verified(
        self, consumer: AIOKafkaConsumer, records: list[ConsumerRecord[bytes, bytes]]
    ) -> list[ConsumerRecord[bytes, bytes]]:
        """``records`` without the one re-read by :meth:`_resync` (the log is unchanged)."""
        topic = records[0].topic
        expected = self._verifying.pop(topic, None)
        if expected is None:
            return records
        head = records[0]
        if head.offset == expected[0] and _digest(head.value) == expected[1]:
            return records[1:]
        if head.offset == expected[0]:  # another record at that offset: a new log
            partition = TopicPartition(topic, head.partition)
            first = await consumer.beginning_offsets([partition])
            self._log_replaced(consumer, partition, first[partition])
            return []
        return records  # the offset was gone: the consumer restarted from the new log's start

    def _log_replaced(
        self, consumer: AIOKafkaConsumer, partition: TopicPartition, first: int
    ) -> None:
        """The broker lost its log (it restarted empty): read the new one from its start.

        Events read again keep their stored positions (the log is keyed by event id).
        """
        logger.warning(
            "live topic %s was replaced on the broker; reading it again", partition.topic
        )
        self._last.pop(partition.topic, None)
        self._verifying.pop(partition.topic, None)
        self._offsets[partition.topic] = first
        consumer.seek(partition, first)

    async def _publish(self, topic: str, records: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        """Store ``records`` (in broker order), then hand them to the window and subscribers."""
        consumed: list[tuple[str, EventEnvelope]] = []
        for record in records:
            try:
                consumed.append((topic, EventEnvelope.from_bytes(record.value or b"")))
            except ValueError:
                logger.warning("skipping undecodable event at %s@%d", topic, record.offset)
        events = await record_events(self.database, consumed) if consumed else []
        if records:
            self._offsets[topic] = records[-1].offset + 1
            self._last[topic] = (records[-1].offset, _digest(records[-1].value))
        buffer = self._buffers[topic]
        for event in events:
            if event.position < buffer.next_position:
                continue  # read again after a restart: already in the window
            buffer.append(event)
            for subscription in list(self._subscribers[topic]):
                subscription.offer(event)
        self._unpruned[topic] += len(events)
        if self._unpruned[topic] >= max(_PRUNE_EVERY, buffer.capacity // 10):
            self._unpruned[topic] = 0
            await prune(self.database, topic, buffer.capacity)
