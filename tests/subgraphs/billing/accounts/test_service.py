"""Billing accounts: one per patient, however many callers race to open it."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlmodel import col, func, select

from subgraphs.billing.accounts import service
from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, Forbidden
from subgraphs.common.outbox.models import OutboxEvent
from tests.support.callers import make_caller


async def test_ensure_account_is_idempotent_under_concurrency(database: Database) -> None:
    patient, user = uuid.uuid4(), uuid.uuid4()

    async def ensure(user_id: uuid.UUID | None) -> bool:
        async with database.transaction() as session:
            _, created = await service.ensure_account(
                session, patient_id=patient, patient_user_id=user_id, actor="t", currency="GBP"
            )
            return created

    created = await asyncio.gather(*(ensure(user if n % 2 else None) for n in range(10)))
    assert sum(created) == 1
    async with database.session() as session:
        accounts = (await session.exec(select(BillingAccount))).all()
        events = (
            await session.exec(
                select(func.count()).where(col(OutboxEvent.type) == "account.created")
            )
        ).one()
    assert len(accounts) == 1
    assert accounts[0].patient_user_id == user  # a later call filled in the patient's user
    assert events == 1


async def test_the_desk_opens_and_updates_patients_do_not(
    database: Database, staff: Caller
) -> None:
    patient = uuid.uuid4()
    details = service.AccountDetails(payer_name="  Pat Patient ", insurer="Acme Health")
    async with database.transaction() as session:
        account = await service.open_account(
            session, caller=staff, patient_id=patient, currency="GBP", details=details
        )
        assert (account.payer_name, account.insurer) == ("Pat Patient", "Acme Health")
        updated = await service.update_account(
            session,
            caller=staff,
            patient_id=patient,
            details=service.AccountDetails(policy_number="POL-9", insurer=""),
        )
        assert (updated.policy_number, updated.insurer, updated.version) == ("POL-9", None, 2)
        with pytest.raises(Forbidden):
            await service.open_account(
                session, caller=make_caller(Role.PATIENT), patient_id=patient, currency="GBP"
            )
        with pytest.raises(BadUserInput):
            await service.open_account(
                session, caller=staff, patient_id=uuid.uuid4(), currency="XXY"
            )
        with pytest.raises(BadUserInput):
            service.AccountDetails(payer_email="not-an-email").cleaned()
