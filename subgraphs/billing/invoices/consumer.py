"""The ``clinical.appointments`` consumer that bills completed appointments, as an app lifespan.

Group ``BILLING_APPOINTMENT_CONSUMER_GROUP`` (default ``billing-appointments``); each event is
handled once per event id (:class:`IdempotentHandler`: the ``processed_event`` row and the
invoice line commit together). Offsets are committed after handling, so a broker restart or a
crash redelivers rather than loses; a poison event is retried, then dead-lettered.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from subgraphs.billing.accounts.settings import AccountSettings
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.invoices.visits import bill_completed_appointment
from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.consumer import EventConsumer, IdempotentHandler
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import CLINICAL_APPOINTMENTS, ensure_topics
from subgraphs.common.state import ServiceState

__all__ = ["AppointmentBillingHook", "appointment_billing_consumer"]

logger = logging.getLogger(__name__)


def appointment_billing_consumer(
    database: Database,
    bootstrap_servers: str,
    *,
    settings: InvoiceSettings,
    currency: str,
    **options: Any,
) -> EventConsumer:
    """The consumer adding a line per completed appointment, exactly once."""

    async def bill(envelope: EventEnvelope, session: AsyncSession) -> None:
        await bill_completed_appointment(session, envelope, settings=settings, currency=currency)

    return EventConsumer(
        bootstrap_servers=bootstrap_servers,
        topics=[CLINICAL_APPOINTMENTS.name],
        group_id=settings.appointment_consumer_group,
        handler=IdempotentHandler(
            database=database, consumer=settings.appointment_consumer_group, handler=bill
        ),
        client_id="healthgraph-billing-appointments",
        **options,
    )


class AppointmentBillingHook:
    """The consumer as a ``create_service_app`` lifespan, plus its readiness check."""

    def __init__(self, settings: InvoiceSettings, accounts: AccountSettings) -> None:
        self.settings = settings
        self.currency = accounts.currency
        self.consumer: EventConsumer | None = None

    @asynccontextmanager
    async def __call__(self, app: FastAPI, state: ServiceState) -> AsyncIterator[None]:  # noqa: ARG002 (the lifespan signature)
        if not self.settings.appointment_consumer_enabled:
            yield
            return
        bootstrap = state.settings.kafka_bootstrap_servers
        try:
            await ensure_topics(bootstrap, [CLINICAL_APPOINTMENTS], request_timeout=2.0)
        except Exception as exc:  # noqa: BLE001 (the broker may be down; the consumer retries)
            logger.warning("billing: could not ensure %s: %s", CLINICAL_APPOINTMENTS.name, exc)
        self.consumer = appointment_billing_consumer(
            state.database, bootstrap, settings=self.settings, currency=self.currency
        )
        self.consumer.start()
        try:
            yield
        finally:
            await self.consumer.stop()
            self.consumer = None

    async def check_ready(self) -> None:
        """Ready while the consumer runs (always, when it is disabled)."""
        if not self.settings.appointment_consumer_enabled:
            return
        if self.consumer is None:
            raise RuntimeError("the appointment billing consumer is not running")
        await self.consumer.check_ready()
