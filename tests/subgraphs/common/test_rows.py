"""``locked_row``: a row by primary key under ``FOR UPDATE``, NOT_FOUND when absent."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.common.database import Database
from subgraphs.common.errors import NotFound
from subgraphs.common.rows import locked_row
from tests.conftest import ServiceDatabaseFactory


async def test_a_row_is_read_fresh_and_locked(service_database: ServiceDatabaseFactory) -> None:
    database = Database(await service_database("billing"))
    now = datetime.now(UTC)
    account = BillingAccount(
        patient_id=uuid.uuid4(), currency="EUR", created_at=now, created_by="t",
        updated_at=now, updated_by="t",
    )  # fmt: skip
    try:
        async with database.transaction() as session:
            session.add(account)
        async with database.transaction() as session:
            found = await locked_row(session, BillingAccount, account.id, missing="none")
            assert found.id == account.id
            with pytest.raises(NotFound, match="No such account"):
                await locked_row(session, BillingAccount, uuid.uuid4(), missing="No such account.")
    finally:
        await database.dispose()
