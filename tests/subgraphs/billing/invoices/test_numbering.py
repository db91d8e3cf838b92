"""Invoice numbers are gap-free per year under 50 concurrent issues."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

from subgraphs.billing.invoices import service
from subgraphs.common.context import Caller
from subgraphs.common.database import Database, RetryPolicy


async def test_fifty_concurrent_issues_leave_no_gap(billing_url: str, staff: Caller) -> None:
    database = Database(billing_url, pool_size=25, retry=RetryPolicy(attempts=20, budget=30))
    try:
        ids: list[uuid.UUID] = []
        async with database.transaction() as session:
            for _ in range(50):
                invoice = await service.create_invoice(
                    session, caller=staff, patient_id=uuid.uuid4(), default_currency="GBP"
                )
                await service.add_line(
                    session,
                    caller=staff,
                    invoice_id=invoice.id,
                    line=service.LineDraft("CONSULT", "Consultation", unit_price=Decimal(65)),
                )
                ids.append(invoice.id)

        async def issue(invoice_id: uuid.UUID) -> str:
            issued = await database.transact(
                lambda s: service.issue_invoice(s, caller=staff, invoice_id=invoice_id)
            )
            assert issued.number is not None
            return issued.number

        numbers = await asyncio.gather(*(issue(i) for i in ids))
        year = numbers[0].split("-")[1]
        assert sorted(numbers) == [f"INV-{year}-{n:06d}" for n in range(1, 51)]
    finally:
        await database.dispose()
