"""A malformed event is logged by where it is wrong, never by what it holds (no PHI in logs)."""

from __future__ import annotations

import logging
import uuid

import orjson
import pytest

from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import TopicSpec, ensure_topics
from tests.subgraphs.common.events.helpers import eventually, unique_topic
from tests.subgraphs.common.events.test_consumer import consumer, envelope, produce

SECRET = "Zephyrine Quillfeather"


@pytest.fixture
async def topic(kafka_bootstrap: str) -> str:
    name = unique_topic()
    await ensure_topics(kafka_bootstrap, [TopicSpec(name, partitions=1)])
    return name


async def test_an_invalid_envelope_is_logged_without_its_content(
    kafka_bootstrap: str, topic: str, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[int] = []

    async def handler(event: EventEnvelope) -> None:
        seen.append(event.payload["seq"])

    invalid = orjson.dumps(
        {"id": SECRET, "type": "patient.registered", "payload": {"name": SECRET}}
    )
    await produce(kafka_bootstrap, topic, [invalid, envelope(3)])
    with caplog.at_level(logging.WARNING, logger="subgraphs.common.events.consumer"):
        async with consumer(kafka_bootstrap, topic, handler, group=f"g-{uuid.uuid4().hex[:8]}"):
            await eventually(lambda: _is(seen == [3]))
    [line] = [r.getMessage() for r in caplog.records if "undecodable" in r.getMessage()]
    assert "invalid field(s): id (uuid_parsing)" in line
    assert SECRET not in caplog.text


async def _is(value: bool) -> bool:
    return value
