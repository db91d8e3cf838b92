"""The live feed on the real broker: every process sees every event, in order, with replay."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from subgraphs.clinical.live.errors import LiveFeedUnavailable, PositionTooOld, SubscriberLagged
from subgraphs.clinical.live.feed import FeedSubscription, LiveFeed
from subgraphs.common.database import Database
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.stack.kafka import EmbeddedKafka
from subgraphs.stack.ports import free_port


@pytest.fixture
def topic() -> str:
    return f"test.live.{uuid.uuid4().hex[:8]}"


@asynccontextmanager
async def _running(feed: LiveFeed) -> AsyncIterator[LiveFeed]:
    await feed.start()
    try:
        yield feed
    finally:
        await feed.stop()


async def _produce(bootstrap: str, topic: str, count: int, *, label: str = "e") -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for index in range(count):
            envelope = EventEnvelope(
                type="thing.changed",
                aggregate_type="thing",
                aggregate_id=f"{label}{index}",
                actor="tester",
            )
            await producer.send_and_wait(topic, envelope.to_bytes(), key=b"k")
    finally:
        await producer.stop()


async def _take(subscription: FeedSubscription, count: int) -> list[tuple[int, str]]:
    async def take() -> list[tuple[int, str]]:
        return [
            (event.position, event.envelope.aggregate_id)
            for event in [await anext(subscription) for _ in range(count)]
        ]

    return await asyncio.wait_for(take(), 10)


async def _create_topic(bootstrap: str, topic: str, *, partitions: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, partitions, 1)])
    finally:
        await admin.close()


def _feed(database: Database, bootstrap: str, topic: str, **options: Any) -> LiveFeed:
    return LiveFeed(database=database, bootstrap_servers=bootstrap, topics=[topic], **options)


async def test_replay_then_live_in_order(
    database: Database, kafka_bootstrap: str, topic: str
) -> None:
    async with _running(_feed(database, kafka_bootstrap, topic)) as feed:
        await feed.wait_ready(10)
        await _produce(kafka_bootstrap, topic, 3, label="old")
        with feed.subscribe(topic) as watcher:
            assert await _take(watcher, 3) == [(1, "old0"), (2, "old1"), (3, "old2")]
        with feed.subscribe(topic, since=1) as resumed:  # reconnecting after position 1
            assert await _take(resumed, 2) == [(2, "old1"), (3, "old2")]
            await _produce(kafka_bootstrap, topic, 1, label="new")
            assert await _take(resumed, 1) == [(4, "new0")]
        assert feed.subscriber_count(topic) == 0


async def test_every_process_sees_every_event_at_the_same_position(
    database: Database, kafka_bootstrap: str, topic: str
) -> None:
    async with (
        _running(_feed(database, kafka_bootstrap, topic)) as one,
        _running(_feed(database, kafka_bootstrap, topic)) as two,
    ):
        await one.wait_ready(10)
        await two.wait_ready(10)
        with one.subscribe(topic) as first, two.subscribe(topic) as second:
            await _produce(kafka_bootstrap, topic, 4)
            assert await _take(first, 4) == await _take(second, 4)


async def test_window_is_bounded_and_reloaded_from_the_stored_log(
    database: Database, kafka_bootstrap: str, topic: str
) -> None:
    async with _running(_feed(database, kafka_bootstrap, topic, replay_capacity=2)) as feed:
        await feed.wait_ready(10)
        with feed.subscribe(topic) as watcher:
            await _produce(kafka_bootstrap, topic, 5)
            await _take(watcher, 5)
    for _ in range(2):  # the running one, then a restarted one that loads the stored log
        async with _running(_feed(database, kafka_bootstrap, topic, replay_capacity=2)) as feed:
            await feed.wait_ready(10)
            with feed.subscribe(topic, since=3) as resumed:
                assert await _take(resumed, 2) == [(4, "e3"), (5, "e4")]
            with pytest.raises(PositionTooOld) as caught:
                feed.subscribe(topic, since=2)
            assert caught.value.extensions["oldestPosition"] == 4


async def test_events_before_the_feed_started_begin_the_log(
    database: Database, kafka_bootstrap: str, topic: str
) -> None:
    await _create_topic(kafka_bootstrap, topic, partitions=1)  # as `healthgraph up` does
    await _produce(kafka_bootstrap, topic, 5)
    async with _running(_feed(database, kafka_bootstrap, topic, replay_capacity=2)) as feed:
        await feed.wait_ready(10)
        with feed.subscribe(topic, since=-1) as resumed:  # the window's last events only
            assert await _take(resumed, 2) == [(1, "e3"), (2, "e4")]


async def test_positions_and_replay_survive_a_broker_restart(
    database: Database, tmp_path: Path, topic: str
) -> None:
    """`make up` restarted: the broker comes back empty (offsets from 0), PostgreSQL does not."""
    broker = EmbeddedKafka(free_port(), log_file=tmp_path / "broker.log")
    bootstrap = broker.start()
    try:
        async with _running(_feed(database, bootstrap, topic)) as feed:
            await feed.wait_ready(10)
            with feed.subscribe(topic, since=-1) as watcher:
                await _produce(bootstrap, topic, 3, label="before")
                seen = await _take(watcher, 1)  # then the client goes away
            with feed.subscribe(topic, since=seen[-1][0]) as rest:
                await _take(rest, 2)  # the feed has stored every event
        broker.stop()
        broker.start()
        async with _running(_feed(database, bootstrap, topic)) as restarted:
            await restarted.wait_ready(10)
            await _produce(bootstrap, topic, 2, label="after")
            with restarted.subscribe(topic, since=seen[-1][0]) as resumed:
                missed = await _take(resumed, 4)
    finally:
        broker.stop()
    assert seen == [(1, "before0")]
    assert missed == [(2, "before1"), (3, "before2"), (4, "after0"), (5, "after1")]


async def test_a_running_feed_follows_a_broker_that_restarted_empty(
    database: Database, tmp_path: Path, topic: str
) -> None:
    """The new log's offsets 0, 1 are where the old log's were: the feed notices and re-reads."""
    broker = EmbeddedKafka(free_port(), log_file=tmp_path / "broker.log")
    bootstrap = broker.start()
    try:
        feed = _feed(database, bootstrap, topic, verify_interval=0.3)
        async with _running(feed):
            await feed.wait_ready(10)
            with feed.subscribe(topic, since=-1) as watcher:
                await _produce(bootstrap, topic, 2, label="before")
                assert await _take(watcher, 2) == [(1, "before0"), (2, "before1")]
                broker.stop(timeout=0.5)  # it waits for connected clients: kill it, as a crash
                broker.start()
                await _create_topic(bootstrap, topic, partitions=1)
                await _produce(bootstrap, topic, 2, label="after")
                assert await _take(watcher, 2) == [(3, "after0"), (4, "after1")]
                await asyncio.sleep(0.8)  # checks of an unchanged log re-deliver nothing
                await _produce(bootstrap, topic, 1, label="later")
                assert await _take(watcher, 1) == [(5, "later0")]
    finally:
        broker.stop()


async def test_slow_subscribers_are_dropped_and_told_where_to_resume(
    database: Database, kafka_bootstrap: str, topic: str
) -> None:
    async with _running(_feed(database, kafka_bootstrap, topic, queue_size=2)) as feed:
        await feed.wait_ready(10)
        slow = feed.subscribe(topic)
        await _produce(kafka_bootstrap, topic, 4)
        await _until(lambda: feed.subscriber_count(topic) == 0)
        assert await _take(slow, 2) == [(1, "e0"), (2, "e1")]
        with pytest.raises(SubscriberLagged) as caught:
            await anext(slow)
        assert caught.value.as_extensions() == {"code": "SUBSCRIPTION_LAGGED", "lastPosition": 2}


async def test_topics_with_several_partitions_are_refused(
    database: Database, kafka_bootstrap: str, topic: str
) -> None:
    await _create_topic(kafka_bootstrap, topic, partitions=3)
    async with _running(_feed(database, kafka_bootstrap, topic)) as feed:
        with pytest.raises(LiveFeedUnavailable, match="exactly one") as caught:
            await feed.wait_ready(3)
        assert caught.value.as_extensions()["code"] == "LIVE_FEED_UNAVAILABLE"
        with pytest.raises(LiveFeedUnavailable):
            feed.subscribe(topic)
        with pytest.raises(ConnectionError):
            await feed.check()


async def _until(condition: Callable[[], bool], limit: float = 10) -> None:
    for _ in range(int(limit / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")
