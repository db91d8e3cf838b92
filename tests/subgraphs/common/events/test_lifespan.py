"""ConsumerHook: a consumer started and stopped with the service, its topics ensured."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi import FastAPI

from subgraphs.common.database import Database
from subgraphs.common.events.consumer import EventConsumer
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.lifespan import ConsumerHook
from subgraphs.common.events.topics import TopicSpec
from subgraphs.common.settings import ServiceSettings
from subgraphs.common.state import ServiceState
from tests.subgraphs.common.events.helpers import eventually, unique_topic


def _state(tmp_path: Path, bootstrap: str) -> ServiceState:
    settings = ServiceSettings(data_dir=tmp_path, kafka_bootstrap_servers=bootstrap)
    return ServiceState(settings, Database.from_settings(settings))


async def _ignore(_: EventEnvelope) -> None:
    return None


async def test_a_disabled_hook_starts_nothing_and_is_ready(tmp_path: Path) -> None:
    def build(_: ServiceState) -> EventConsumer:
        raise AssertionError("never built")

    hook = ConsumerHook("test consumer", enabled=False, topics=[], build=build)
    async with hook(FastAPI(), _state(tmp_path, "127.0.0.1:1")):
        await hook.check_ready()
    assert hook.consumer is None


async def test_the_consumer_runs_with_the_service(tmp_path: Path, kafka_bootstrap: str) -> None:
    topic = TopicSpec(unique_topic(), partitions=1)

    def build(state: ServiceState) -> EventConsumer:
        return EventConsumer(
            bootstrap_servers=state.settings.kafka_bootstrap_servers,
            topics=[topic.name],
            group_id=f"g-{uuid.uuid4().hex[:8]}",
            handler=_ignore,
        )

    hook = ConsumerHook("test consumer", enabled=True, topics=[topic], build=build)
    with pytest.raises(RuntimeError, match="test consumer is not running"):
        await hook.check_ready()
    async with hook(FastAPI(), _state(tmp_path, kafka_bootstrap)):
        consumer = hook.consumer
        assert consumer is not None

        async def ready() -> bool:
            try:
                await consumer.check_ready()
            except RuntimeError:
                return False
            return True

        await eventually(ready)
        await hook.check_ready()
    assert hook.consumer is None
    with pytest.raises(RuntimeError):
        await consumer.check_ready()
