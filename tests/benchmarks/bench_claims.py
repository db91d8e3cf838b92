"""Insurance claims anchored per second on the in-process chain (eth-tester + py-evm).

``python -m tests.benchmarks claims``: first the ClaimRegistry alone (one ``anchor`` transaction
per claim, mined at once), then whole submissions (``submit_claim``: the invoice read, the hash
anchored, the claim row and its outbox event committed) on embedded PostgreSQL unless
``DATABASE_URL`` is set. The chain serialises transactions on one thread, so both figures are
sequential throughput.
"""

from __future__ import annotations

import hashlib
import time
import uuid

from subgraphs.billing.claims import service
from subgraphs.billing.claims.chain import ChainSettings, ClaimRegistry
from subgraphs.common.context import Role
from subgraphs.common.database import Database
from tests.benchmarks.services import migrated_database, postgres_server
from tests.subgraphs.billing.factories import issued_invoice
from tests.support.callers import make_caller

__all__ = ["main"]

ANCHORS = 300
SUBMISSIONS = 100


async def _anchors_per_second(registry: ClaimRegistry) -> float:
    started = time.perf_counter()
    for i in range(ANCHORS):
        await registry.anchor(hashlib.sha256(f"bench-{uuid.uuid4()}-{i}".encode()).digest())
    return ANCHORS / (time.perf_counter() - started)


async def _submissions_per_second(registry: ClaimRegistry, url: str) -> float:
    database = Database(url)
    staff = make_caller(Role.STAFF)
    try:
        invoices = [
            (await issued_invoice(database, staff, prices=("95.00",))).invoice.id
            for _ in range(SUBMISSIONS)
        ]
        started = time.perf_counter()
        for invoice_id in invoices:
            await database.transact(
                lambda session, i=invoice_id: service.submit_claim(
                    session, registry=registry, caller=staff, invoice_id=i, codes=("Z00.00",)
                )
            )
        return SUBMISSIONS / (time.perf_counter() - started)
    finally:
        await database.dispose()


async def main() -> None:
    registry = ClaimRegistry(ChainSettings())
    await registry.start()
    try:
        chain_rate = await _anchors_per_second(registry)
        print(f"chain only: {chain_rate:,.1f} claims anchored/s ({ANCHORS} anchor transactions)")
        with postgres_server() as server_url:
            async with migrated_database(server_url, "billing") as url:
                rate = await _submissions_per_second(registry, url)
        print(
            f"submitClaim (database + chain + outbox): {rate:,.1f} claims/s "
            f"({SUBMISSIONS} submissions, {1000 / rate:.1f} ms each)"
        )
    finally:
        await registry.close()
