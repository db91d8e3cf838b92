"""The analytics consumer group, its app lifespan, and rebuilding the store from the topics.

Group ``CLINICAL_ANALYTICS_GROUP`` (default ``clinical-analytics``) over :data:`ANALYTICS_TOPICS`.
A fetched batch is applied in one transaction with its event ids (one by one, through
:class:`IdempotentHandler`, when the batch fails); offsets are committed afterwards, so a crash
redelivers and the ids make the redelivery a no-op. A malformed event is retried, then parked
on ``<topic>.dlq``.

:func:`rebuild` empties the store and replays every topic from its earliest offset while the
live group keeps running: both record the ids they apply, so each event counts once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI
from pydantic import ValidationError

from subgraphs.clinical.analytics.events import effects_of
from subgraphs.clinical.analytics.lag import ConsumerLag, consumer_lag, partitions_of
from subgraphs.clinical.analytics.service import apply_effects, apply_events, reset
from subgraphs.clinical.analytics.settings import AnalyticsSettings
from subgraphs.clinical.runtime import runtime_of
from subgraphs.common.app import ServiceState
from subgraphs.common.context import RequestContext
from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.clients import close_quietly, started
from subgraphs.common.events.consumer import EventConsumer, IdempotentHandler
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.lifespan import ConsumerHook
from subgraphs.common.events.topics import (
    AUTH_EVENTS,
    BILLING_EVENTS,
    CLINICAL_APPOINTMENTS,
    CLINICAL_EVENTS,
    CLINICAL_PRESCRIPTIONS,
    CLINICAL_RECORDS,
)

__all__ = [
    "ANALYTICS_TOPICS",
    "ANALYTICS_TOPIC_NAMES",
    "AnalyticsHook",
    "AnalyticsRuntime",
    "Rebuilt",
    "analytics_consumer",
    "analytics_of",
    "rebuild",
]

logger = logging.getLogger(__name__)

ANALYTICS_TOPICS = (
    CLINICAL_APPOINTMENTS,
    CLINICAL_EVENTS,
    CLINICAL_RECORDS,
    CLINICAL_PRESCRIPTIONS,
    BILLING_EVENTS,
    AUTH_EVENTS,
)
ANALYTICS_TOPIC_NAMES = tuple(spec.name for spec in ANALYTICS_TOPICS)
_STATE_ATTRIBUTE = "clinical_analytics"


def analytics_consumer(
    database: Database,
    bootstrap_servers: str,
    *,
    group_id: str,
    topics: Sequence[str] = ANALYTICS_TOPIC_NAMES,
    **options: Any,
) -> EventConsumer:
    """The consumer applying every counted event of ``topics`` to the store, exactly once."""

    async def apply_one(envelope: EventEnvelope, session: AsyncSession) -> None:
        await apply_effects(session, [effects_of(envelope)])

    once = IdempotentHandler(database=database, consumer=group_id, handler=apply_one)

    async def handle(envelope: EventEnvelope) -> None:
        if effects_of(envelope):  # events that count nothing cost no transaction
            await once(envelope)

    async def handle_batch(envelopes: Sequence[EventEnvelope]) -> None:
        async with database.transaction() as session:
            await apply_events(session, envelopes, consumer=group_id)

    options.setdefault("max_records", 1000)
    return EventConsumer(
        bootstrap_servers=bootstrap_servers,
        topics=topics,
        group_id=group_id,
        handler=handle,
        batch_handler=handle_batch,
        client_id="healthgraph-analytics",
        **options,
    )


@dataclass(frozen=True, slots=True)
class Rebuilt:
    events: int  # read from the topics
    applied: int  # counted by the replay (the live group may have applied others meanwhile)
    seconds: float


async def rebuild(
    database: Database,
    bootstrap_servers: str,
    *,
    group_id: str,
    topics: Sequence[str] = ANALYTICS_TOPIC_NAMES,
    batch: int = 1000,
) -> Rebuilt:
    """Empty the store, then replay every analytics topic from its earliest offset until the
    replay has passed the topics' end at its start and half a second goes by without a new
    event. Safe while the live group runs (see the module docstring)."""
    started_at = time.perf_counter()
    async with database.transaction() as session:
        await reset(session, consumer=group_id)
    reader = await started(
        AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers,
            client_id="healthgraph-analytics-rebuild",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
    )
    events = applied = 0
    try:
        partitions = await partitions_of(reader, topics)
        ends = await reader.end_offsets(partitions) if partitions else {}
        pending = {tp for tp in partitions if ends[tp] > 0}
        if pending:
            reader.assign(sorted(pending, key=lambda tp: (tp.topic, tp.partition)))
            await reader.seek_to_beginning(*pending)
        while pending:
            fetched = await reader.getmany(*pending, timeout_ms=500, max_records=batch)
            for records in fetched.values():
                values = [record.value for record in records if record.value]
                applied += await _replay(database, values, group_id=group_id)
                events += len(values)
            if not any(fetched.values()):
                # Done once quiet and past the end seen at the start. Some brokers (Tansu) report
                # the end as the last batch's base offset + 1, so the end alone is not enough.
                for tp in list(pending):
                    if await reader.position(tp) >= ends[tp]:
                        pending.discard(tp)
    finally:
        await close_quietly(reader)
    seconds = time.perf_counter() - started_at
    logger.info("analytics rebuilt from %d events (%d applied) in %.1fs", events, applied, seconds)
    return Rebuilt(events=events, applied=applied, seconds=seconds)


async def _replay(database: Database, values: Sequence[bytes], *, group_id: str) -> int:
    """Apply ``values`` in one transaction; one by one, skipping malformed events, on failure."""
    try:
        envelopes = [EventEnvelope.from_bytes(value) for value in values]
        async with database.transaction() as session:
            return await apply_events(session, envelopes, consumer=group_id)
    except (ValueError, ValidationError):
        if len(values) == 1:
            logger.warning("analytics rebuild skips a malformed event", exc_info=True)
            return 0
    return sum([await _replay(database, [value], group_id=group_id) for value in values])


class AnalyticsRuntime:
    """What the analytics resolvers need at run time: settings, the broker and the group."""

    def __init__(self, settings: AnalyticsSettings, bootstrap_servers: str) -> None:
        self.settings = settings
        self.bootstrap_servers = bootstrap_servers

    async def lag(self) -> ConsumerLag:
        return await consumer_lag(
            self.bootstrap_servers,
            group=self.settings.analytics_group,
            topics=ANALYTICS_TOPIC_NAMES,
        )


class AnalyticsHook(ConsumerHook):
    """The consumer as a ``create_service_app`` lifespan (unless ``CLINICAL_ANALYTICS_ENABLED``
    is off), plus readiness; the runtime on ``app.state`` for the resolvers either way."""

    def __init__(self, settings: AnalyticsSettings) -> None:
        super().__init__(
            "analytics consumer",
            enabled=settings.analytics_enabled,
            topics=ANALYTICS_TOPICS,
            build=lambda state: analytics_consumer(
                state.database,
                state.settings.kafka_bootstrap_servers,
                group_id=settings.analytics_group,
            ),
        )
        self.settings = settings

    @asynccontextmanager
    async def __call__(self, app: FastAPI, state: ServiceState) -> AsyncIterator[None]:
        runtime = AnalyticsRuntime(self.settings, state.settings.kafka_bootstrap_servers)
        setattr(app.state, _STATE_ATTRIBUTE, runtime)
        try:
            async with super().__call__(app, state):
                yield
        finally:
            delattr(app.state, _STATE_ATTRIBUTE)


def analytics_of(context: RequestContext) -> AnalyticsRuntime:
    """The serving app's analytics runtime (set up by :class:`AnalyticsHook`)."""
    return runtime_of(context, _STATE_ATTRIBUTE, AnalyticsRuntime, lifespan="AnalyticsHook")
