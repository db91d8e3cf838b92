"""Starting and closing aiokafka clients against a real broker, and one that is not there."""

from __future__ import annotations

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError

from subgraphs.common.events.clients import close_quietly, started
from subgraphs.stack.ports import free_port


async def test_started_returns_a_running_client(kafka_bootstrap: str) -> None:
    producer = await started(AIOKafkaProducer(bootstrap_servers=kafka_bootstrap), within=10)
    assert await producer.partitions_for("auth.events")
    await close_quietly(producer)


async def test_a_client_that_cannot_start_is_closed_and_the_error_raised() -> None:
    producer = AIOKafkaProducer(bootstrap_servers=f"127.0.0.1:{free_port()}")
    with pytest.raises(KafkaConnectionError):
        await started(producer, within=10)
    assert producer._closed  # no public way to ask whether it was closed


async def test_close_quietly_accepts_nothing() -> None:
    await close_quietly(None)
