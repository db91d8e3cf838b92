"""Feeding the access audit store: the ``audit.access`` consumer and the catch-up sweeper.

The consumer (group ``CLINICAL_AUDIT_STORE_GROUP``, default :data:`AUDIT_STORE_GROUP`) appends each event and commits its offset only
afterwards; the sweeper copies from the outbox whatever the broker never delivered (see
:mod:`subgraphs.clinical.audit.service` for the whole guarantee).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI

from subgraphs.clinical.audit.service import append_events, catch_up
from subgraphs.clinical.audit.settings import AuditSettings
from subgraphs.common.app import ServiceState
from subgraphs.common.database import Database
from subgraphs.common.events.consumer import EventConsumer
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.failures import describe_error
from subgraphs.common.events.topics import AUDIT_ACCESS, ensure_topics
from subgraphs.common.events.worker import BackgroundWorker

__all__ = ["AUDIT_STORE_GROUP", "AuditStoreHook", "AuditSweeper", "audit_consumer"]

logger = logging.getLogger(__name__)

AUDIT_STORE_GROUP = "clinical-audit-store"
_RECENT_WINDOW = timedelta(minutes=15)


def audit_consumer(
    database: Database,
    bootstrap_servers: str,
    *,
    group_id: str = AUDIT_STORE_GROUP,
    **options: Any,
) -> EventConsumer:
    """The consumer appending every ``audit.access`` event to the store (a fetched batch per
    transaction; one by one when a batch fails)."""

    async def store_many(envelopes: Sequence[EventEnvelope]) -> None:
        async with database.transaction() as session:
            await append_events(session, envelopes)

    async def store(envelope: EventEnvelope) -> None:
        await store_many([envelope])

    return EventConsumer(
        bootstrap_servers=bootstrap_servers,
        topics=[AUDIT_ACCESS.name],
        group_id=group_id,
        handler=store,
        batch_handler=store_many,
        client_id="healthgraph-audit-store",
        **options,
    )


class AuditSweeper(BackgroundWorker):
    """Every ``interval`` seconds, stores the outbox's audit events the consumer has not stored.

    Recent events (the last 15 minutes) each pass; the whole outbox at start and every
    ``full_interval`` seconds.
    """

    def __init__(
        self, database: Database, *, interval: float, grace: float, full_interval: float
    ) -> None:
        super().__init__("audit-sweeper")
        self._database = database
        self._interval = interval
        self._grace = timedelta(seconds=grace)
        self._full_interval = timedelta(seconds=full_interval)
        self.stored = 0
        self.last_error: str | None = None

    async def sweep(self, *, full: bool) -> int:
        """One pass; the number of events stored."""
        since = None if full else datetime.now(UTC) - _RECENT_WINDOW
        total = 0
        while True:
            async with self._database.transaction() as session:
                added = await catch_up(session, older_than=self._grace, since=since)
            total += added
            if added == 0:
                break
        if total:
            logger.warning("audit store caught up %d events from the outbox", total)
        self.stored += total
        return total

    async def _run(self) -> None:
        last_full: datetime | None = None
        while not self._stopping.is_set():
            now = datetime.now(UTC)
            full = last_full is None or now - last_full >= self._full_interval
            try:
                await self.sweep(full=full)
            except Exception as exc:  # noqa: BLE001 (the sweeper must outlive any failed pass)
                # The database may be away; the next pass tries again.
                self.last_error = describe_error(exc)
                logger.warning("audit sweep failed: %s", self.last_error)
            else:
                if full:
                    last_full = now
            await self._sleep(self._interval)


class AuditStoreHook:
    """The consumer and the sweeper as a ``create_service_app`` lifespan, plus readiness."""

    def __init__(self, settings: AuditSettings) -> None:
        self.settings = settings
        self.consumer: EventConsumer | None = None
        self.sweeper: AuditSweeper | None = None

    @asynccontextmanager
    async def __call__(self, app: FastAPI, state: ServiceState) -> AsyncIterator[None]:  # noqa: ARG002 (the lifespan signature)
        if not self.settings.audit_store_enabled:
            yield
            return
        bootstrap = state.settings.kafka_bootstrap_servers
        try:
            await ensure_topics(bootstrap, [AUDIT_ACCESS], request_timeout=2.0)
        except Exception as exc:  # noqa: BLE001 (the broker may be down; the consumer retries)
            logger.warning("audit store: could not ensure %s: %s", AUDIT_ACCESS.name, exc)
        self.consumer = audit_consumer(
            state.database, bootstrap, group_id=self.settings.audit_store_group
        )
        self.sweeper = AuditSweeper(
            state.database,
            interval=self.settings.audit_sweep_interval,
            grace=self.settings.audit_sweep_grace,
            full_interval=self.settings.audit_full_sweep_interval,
        )
        self.consumer.start()
        self.sweeper.start()
        try:
            yield
        finally:
            await self.sweeper.stop()
            await self.consumer.stop()
            self.consumer = self.sweeper = None

    async def check_ready(self) -> None:
        """Ready while the consumer and the sweeper run (always, when the store is disabled)."""
        if not self.settings.audit_store_enabled:
            return
        if self.consumer is None or self.sweeper is None:
            raise RuntimeError("the audit store is not running")
        await self.consumer.check_ready()
        await self.sweeper.check_ready()
