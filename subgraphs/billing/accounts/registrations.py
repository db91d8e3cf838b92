"""Opening a patient's account from clinical's registration event (``patient.created`` on
``clinical.events``), for when clinical's ``EnsureAccount`` call could not reach billing.

Delivery is effectively once: :class:`~subgraphs.common.events.consumer.IdempotentHandler`
records the event id in the same transaction as the account, and :func:`ensure_account` is
idempotent per patient, so the event and the gRPC call open one account whatever their order.
A malformed event is retried, then parked on ``clinical.events.dlq``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from subgraphs.billing.accounts.service import AccountDetails, ensure_account
from subgraphs.billing.accounts.settings import AccountSettings
from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.consumer import EventConsumer, IdempotentHandler
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.lifespan import ConsumerHook
from subgraphs.common.events.topics import CLINICAL_EVENTS

__all__ = [
    "PATIENT_REGISTERED",
    "open_account_from_event",
    "registration_consumer",
    "registration_consumer_hook",
]

logger = logging.getLogger(__name__)

# Clinical publishes this when a patient is registered (subgraphs.clinical.people.service).
PATIENT_REGISTERED = "patient.created"


def _text(payload: Mapping[str, Any], key: str) -> str | None:
    value = payload.get(key)
    return str(value) if value else None


async def open_account_from_event(
    envelope: EventEnvelope, session: AsyncSession, *, currency: str
) -> None:
    """The registered patient's account (created, or found when the gRPC call made it)."""
    payload = envelope.payload
    patient_id = uuid.UUID(str(payload["patientId"]))
    user_id = _text(payload, "userId")
    _, created = await ensure_account(
        session,
        patient_id=patient_id,
        actor=envelope.actor,
        currency=currency,
        patient_user_id=uuid.UUID(user_id) if user_id else None,
        details=AccountDetails(
            insurer=_text(payload, "insurer"), policy_number=_text(payload, "policyNumber")
        ),
    )
    if created:
        logger.info("billing account of patient %s opened from event %s", patient_id, envelope.id)


def registration_consumer(
    database: Database,
    bootstrap_servers: str,
    *,
    currency: str,
    group_id: str,
    **options: Any,
) -> EventConsumer:
    """The consumer opening an account for every registration on ``clinical.events`` (other
    clinical events pass by without a database round trip)."""

    async def handle(envelope: EventEnvelope, session: AsyncSession) -> None:
        await open_account_from_event(envelope, session, currency=currency)

    once = IdempotentHandler(database=database, consumer=group_id, handler=handle)

    async def registrations(envelope: EventEnvelope) -> None:
        if envelope.type == PATIENT_REGISTERED:
            await once(envelope)

    return EventConsumer(
        bootstrap_servers=bootstrap_servers,
        topics=[CLINICAL_EVENTS.name],
        group_id=group_id,
        handler=registrations,
        client_id="healthgraph-billing-registrations",
        **options,
    )


def registration_consumer_hook(settings: AccountSettings) -> ConsumerHook:
    """The registration consumer as a ``create_service_app`` lifespan, plus readiness."""
    return ConsumerHook(
        "billing registration consumer",
        enabled=settings.registration_consumer_enabled,
        topics=[CLINICAL_EVENTS],
        build=lambda state: registration_consumer(
            state.database,
            state.settings.kafka_bootstrap_servers,
            currency=settings.currency,
            group_id=settings.registration_consumer_group,
        ),
    )
