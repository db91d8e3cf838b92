"""A separate process that changes a medical record through the service, like another replica.

``python -m tests.subgraphs.clinical.live.writer DATABASE_URL BOOTSTRAP USER_ID PATIENT_ID NOTES
[RECORD_ID VERSION]`` creates a record as doctor USER_ID (or, given RECORD_ID and VERSION,
updates its notes) and commits (``record.changed`` goes into the outbox in the same
transaction); it then runs the kernel's outbox relay until the change is on the broker, and
prints the record id and version as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid

from subgraphs.clinical.records import service
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.tokens import scope_claim
from tests.subgraphs.clinical.live.relay import publish_outbox


async def main(arguments: list[str]) -> None:
    url, bootstrap, user_id, patient_id, notes, *existing = arguments
    database = Database(url, pool_size=1)
    caller = Caller.from_claims(
        {"sub": user_id, "role": Role.DOCTOR.value, "scope": scope_claim(Role.DOCTOR)}
    )
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
    finally:
        await database.dispose()
    await publish_outbox(url, bootstrap)
    print(json.dumps({"recordId": str(record.id), "version": record.version}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
