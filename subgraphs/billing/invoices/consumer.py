"""The ``clinical.appointments`` consumer that bills completed appointments, as an app lifespan.

Group ``BILLING_APPOINTMENT_CONSUMER_GROUP`` (default ``billing-appointments``); each event is
handled once per event id (:class:`IdempotentHandler`: the ``processed_event`` row and the
invoice line commit together). Offsets are committed after handling, so a broker restart or a
crash redelivers rather than loses; a poison event is retried, then dead-lettered.
"""

from __future__ import annotations

from typing import Any

from subgraphs.billing.accounts.settings import AccountSettings
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.invoices.visits import bill_completed_appointment
from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.consumer import EventConsumer, IdempotentHandler
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.lifespan import ConsumerHook
from subgraphs.common.events.topics import CLINICAL_APPOINTMENTS

__all__ = ["appointment_billing_consumer", "appointment_billing_hook"]


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


def appointment_billing_hook(settings: InvoiceSettings, accounts: AccountSettings) -> ConsumerHook:
    """The consumer as a ``create_service_app`` lifespan, plus its readiness check."""
    return ConsumerHook(
        "appointment billing consumer",
        enabled=settings.appointment_consumer_enabled,
        topics=[CLINICAL_APPOINTMENTS],
        build=lambda state: appointment_billing_consumer(
            state.database,
            state.settings.kafka_bootstrap_servers,
            settings=settings,
            currency=accounts.currency,
        ),
    )
