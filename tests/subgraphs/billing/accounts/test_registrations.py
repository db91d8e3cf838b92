"""Accounts opened from clinical's registration events: once per patient, whatever the order."""

from __future__ import annotations

import uuid

from sqlmodel import col, func, select

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.accounts.registrations import PATIENT_REGISTERED, open_account_from_event
from subgraphs.billing.accounts.service import ensure_account
from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.consumer import IdempotentHandler
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.outbox.models import OutboxEvent


def registration(patient_id: uuid.UUID, **payload: object) -> EventEnvelope:
    return EventEnvelope(
        type=PATIENT_REGISTERED,
        aggregate_type="patient",
        aggregate_id=str(patient_id),
        actor="synthetic-registrar",
        payload={"patientId": str(patient_id), "version": 1, "mrn": "MRN-1", **payload},
    )


def handler(database: Database) -> IdempotentHandler:
    async def handle(envelope: EventEnvelope, session: AsyncSession) -> None:
        await open_account_from_event(envelope, session, currency="GBP")

    return IdempotentHandler(database=database, consumer="billing-registrations", handler=handle)


async def test_a_duplicate_event_is_a_no_op(database: Database) -> None:
    patient, user = uuid.uuid4(), uuid.uuid4()
    event = registration(patient, userId=str(user), insurer="Synthetic Mutual", policyNumber="P")
    once = handler(database)

    await once(event)
    await once(event)

    assert (once.handled, once.skipped) == (1, 1)
    async with database.session() as session:
        [account] = (
            await session.exec(
                select(BillingAccount).where(col(BillingAccount.patient_id) == patient)
            )
        ).all()
        created = (
            await session.exec(
                select(func.count()).where(
                    col(OutboxEvent.type) == "account.created",
                    col(OutboxEvent.aggregate_id) == str(account.id),
                )
            )
        ).one()
    assert account.patient_user_id == user
    assert (account.insurer, account.policy_number) == ("Synthetic Mutual", "P")
    assert created == 1


async def test_the_event_after_the_grpc_call_finds_the_account(database: Database) -> None:
    patient = uuid.uuid4()
    async with database.transaction() as session:
        first, created = await ensure_account(
            session, patient_id=patient, actor="service:billing-grpc", currency="GBP"
        )
    assert created

    await handler(database)(registration(patient, userId=str(uuid.uuid4())))

    async with database.session() as session:
        accounts = (
            await session.exec(
                select(BillingAccount).where(col(BillingAccount.patient_id) == patient)
            )
        ).all()
    assert [account.id for account in accounts] == [first.id]
    assert accounts[0].patient_user_id is not None  # the event filled in the patient's user
