"""The topic registry and idempotent topic creation on the real broker."""

from __future__ import annotations

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from subgraphs.common.events.topics import (
    TOPICS,
    TopicSpec,
    dead_letter_topic,
    ensure_topics,
    registry_topics,
    topic_spec,
)
from tests.subgraphs.common.events.helpers import unique_topic


def test_the_registry_names_every_stream_of_issue_2() -> None:
    assert sorted(TOPICS) == [
        "audit.access",
        "auth.events",
        "billing.events",
        "clinical.appointments",
        "clinical.events",
        "clinical.prescriptions",
        "clinical.records",
    ]
    names = [spec.name for spec in registry_topics()]
    assert "clinical.records.dlq" in names
    assert len(names) == 14


def test_live_feed_topics_have_one_partition() -> None:
    # Subscriptions replay "since N" against one total order: one partition per live topic.
    assert TOPICS["clinical.appointments"].partitions == 1
    assert TOPICS["clinical.records"].partitions == 1
    assert [spec.name for spec in registry_topics(dead_letters=False)] == list(TOPICS)


def test_specs() -> None:
    assert topic_spec("billing.events") is TOPICS["billing.events"]
    assert topic_spec("elsewhere.events") == TopicSpec("elsewhere.events", 3)
    assert dead_letter_topic("a.b") == "a.b.dlq"
    assert TopicSpec("a.b", 6).dead_letter == TopicSpec(
        "a.b.dlq", 1, TopicSpec("a.b", 6).dead_letter.description
    )
    with pytest.raises(ValueError, match="invalid topic"):
        TopicSpec("x", 0)


async def test_ensure_topics_is_idempotent(kafka_bootstrap: str) -> None:
    spec = TopicSpec(unique_topic(), partitions=5)
    assert await ensure_topics(kafka_bootstrap, [spec, spec.dead_letter]) == [
        spec.name,
        spec.dead_letter.name,
    ]
    assert await ensure_topics(kafka_bootstrap, [spec, spec.dead_letter]) == []
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics([spec.name, spec.dead_letter.name])
    finally:
        await admin.close()
    partitions = {topic["topic"]: len(topic["partitions"]) for topic in described}
    assert partitions == {spec.name: 5, spec.dead_letter.name: 1}


async def test_ensure_topics_creates_the_whole_registry(kafka_bootstrap: str) -> None:
    await ensure_topics(kafka_bootstrap)
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
    finally:
        await admin.close()
    assert {spec.name for spec in registry_topics()} <= existing
