"""Billing benchmarks: invoices issued per second (gap-free numbering), ``_entities`` for 100 invoices.

Run: ``python -m tests.benchmarks.bench_billing`` (starts its own embedded PostgreSQL).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from subgraphs.billing.app import create_app
from subgraphs.billing.invoices import service
from subgraphs.common.context import Role
from subgraphs.common.database import Database, RetryPolicy
from subgraphs.common.migrations import upgrade_database
from subgraphs.stack.databases import create_database
from subgraphs.stack.postgres import EmbeddedPostgres, asyncpg_url, database_url
from tests.benchmarks.entities import entities_latency, report
from tests.subgraphs.billing.conftest import billing_settings
from tests.support.callers import make_caller, token_for
from tests.support.tokens import JWKS

INVOICES = 400  # issued in each mode
CONCURRENCY = 20  # connections issuing at once (all queue on the year's counter row)
ENTITY_KEYS = 100
ENTITY_RUNS = 30
STAFF = make_caller(Role.STAFF)
LINES = (
    service.LineDraft("CONSULT", "Consultation", unit_price=Decimal("65.00")),
    service.LineDraft("LAB", "Blood panel", unit_price=Decimal("30.00"), tax_rate_bp=2000),
)


async def _drafts(db: Database, count: int) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    async with db.transaction() as session:
        for _ in range(count):
            invoice = await service.create_invoice(
                session, caller=STAFF, patient_id=uuid.uuid4(), default_currency="GBP"
            )
            for line in LINES:
                await service.add_line(session, caller=STAFF, invoice_id=invoice.id, line=line)
            ids.append(invoice.id)
    return ids


async def _issue_all(
    db: Database, ids: list[uuid.UUID], concurrency: int
) -> tuple[list[str], float]:
    gate = asyncio.Semaphore(concurrency)

    async def issue(invoice_id: uuid.UUID) -> str:
        async with gate:
            issued = await db.transact(
                lambda s: service.issue_invoice(s, caller=STAFF, invoice_id=invoice_id)
            )
            return issued.number or ""

    began = time.perf_counter()
    numbers = await asyncio.gather(*(issue(i) for i in ids))
    return list(numbers), time.perf_counter() - began


async def _entities_latency(db_url: str, ids: list[uuid.UUID]) -> list[float]:
    app = create_app(billing_settings(db_url), jwks=JWKS)
    headers = {"authorization": f"Bearer {token_for(STAFF)}"}
    query = (
        "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Invoice { "
        "id number status total { amount currency } amountDue { amount } "
        "lines { description total { amount } } } } }"
    )
    payload: dict[str, Any] = {
        "query": query,
        "variables": {"r": [{"__typename": "Invoice", "id": str(i)} for i in ids]},
    }
    return await entities_latency(app, headers=headers, payload=payload, runs=ENTITY_RUNS)


async def _run(server_url: str) -> None:
    await create_database(server_url, "bench_billing")
    db_url = asyncpg_url(database_url(server_url, "bench_billing"))
    await upgrade_database("billing", db_url)
    db = Database(db_url, pool_size=CONCURRENCY, retry=RetryPolicy(attempts=20, budget=60))
    try:
        print("billing: invoices issued (gap-free number from a counter row locked per year)")
        issued: list[str] = []
        for label, concurrency in (
            ("one at a time", 1),
            (f"{CONCURRENCY} concurrent", CONCURRENCY),
        ):
            ids = await _drafts(db, INVOICES)
            numbers, seconds = await _issue_all(db, ids, concurrency)
            issued += numbers
            print(f"  {label:<38} {INVOICES / seconds:8.1f} invoices/second")
        sequence = sorted(int(n.rsplit("-", 1)[1]) for n in issued)
        assert sequence == list(range(1, len(issued) + 1)), "numbering has a gap or a duplicate"
        print(f"  {len(issued)} numbers, no gap, no duplicate")
        page = await _drafts(db, ENTITY_KEYS)
        timings = await _entities_latency(db_url, page)
        print(
            f"_entities for {ENTITY_KEYS} invoices with their lines (staff, in-process ASGI, "
            f"{ENTITY_RUNS} runs)"
        )
        report("Invoice + lines", timings)
    finally:
        await db.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-billing-") as tmp:
        server = EmbeddedPostgres(Path(tmp) / "pg", delete_on_stop=True)
        url = server.start()
        try:
            asyncio.run(_run(url))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
