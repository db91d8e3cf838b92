"""A separate process that changes a medical record through the service and relays the outbox.

``python -m tests.subgraphs.clinical.live.writer DATABASE_URL BOOTSTRAP USER_ID PATIENT_ID NOTES
[RECORD_ID VERSION]`` creates a record as doctor USER_ID (or, given RECORD_ID and VERSION,
updates its notes), commits (record_event writes ``record.changed`` into the outbox in the same
transaction), publishes the outbox to the broker, and prints the record id and version as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid

from subgraphs.clinical.records import service
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from tests.subgraphs.clinical.live.relay import relay_pending
from tests.subgraphs.clinical.standin import install_standins


async def main(arguments: list[str]) -> None:
    url, bootstrap, user_id, patient_id, notes, *existing = arguments
    install_standins()
    database = Database(url, pool_size=1)
    caller = Caller(user_id=uuid.UUID(user_id), role=Role.DOCTOR)
    try:
        async with database.transaction() as session:
            if existing:
                record = await service.update_record(
                    session,
                    caller=caller,
                    record_id=uuid.UUID(existing[0]),
                    expected_version=int(existing[1]),
                    changes={"notes": notes},
                )
            else:
                record = await service.create_record(
                    session,
                    caller=caller,
                    patient_id=uuid.UUID(patient_id),
                    content={"notes": notes},
                )
        await relay_pending(database, bootstrap)
    finally:
        await database.dispose()
    print(json.dumps({"recordId": str(record.id), "version": record.version}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
