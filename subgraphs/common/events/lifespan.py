"""A service's event consumer run for as long as the service runs (a ``create_service_app``
lifespan with a readiness check)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI

from subgraphs.common.events.consumer import EventConsumer
from subgraphs.common.events.topics import TopicSpec, ensure_topics
from subgraphs.common.state import ServiceState

__all__ = ["ConsumerHook"]

logger = logging.getLogger(__name__)


class ConsumerHook:
    """Builds the consumer with ``build(state)`` when the service starts (unless ``enabled`` is
    off), creates its ``topics`` when missing, and stops it with the service.

    A broker that is down does not stop the service: the consumer reconnects by itself, and
    :meth:`check_ready` reports it meanwhile.
    """

    def __init__(
        self,
        name: str,
        *,
        enabled: bool,
        topics: Sequence[TopicSpec],
        build: Callable[[ServiceState], EventConsumer],
    ) -> None:
        self.name = name
        self.enabled = enabled
        self._topics = tuple(topics)
        self._build = build
        self.consumer: EventConsumer | None = None

    @asynccontextmanager
    async def __call__(self, app: FastAPI, state: ServiceState) -> AsyncIterator[None]:  # noqa: ARG002 (the lifespan signature)
        if not self.enabled:
            yield
            return
        bootstrap = state.settings.kafka_bootstrap_servers
        try:
            await ensure_topics(bootstrap, self._topics, request_timeout=2.0)
        except Exception as exc:  # noqa: BLE001 (the broker may be down; the consumer retries)
            names = ", ".join(topic.name for topic in self._topics)
            logger.warning("%s: could not ensure %s: %s", self.name, names, exc)
        self.consumer = self._build(state)
        self.consumer.start()
        try:
            yield
        finally:
            await self.consumer.stop()
            self.consumer = None

    async def check_ready(self) -> None:
        """Ready while the consumer runs (always, when it is disabled)."""
        if not self.enabled:
            return
        if self.consumer is None:
            raise RuntimeError(f"the {self.name} is not running")
        await self.consumer.check_ready()
