"""The tables of records and prescriptions match what migration clinical_1001 creates."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import subgraphs.clinical.prescriptions.models
import subgraphs.clinical.records.models  # noqa: F401 (registers the tables)

OURS = {"medical_record", "medical_record_version", "prescription", "prescription_signing_key"}


def _differences(connection: Connection) -> list[Any]:
    def ours(obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
        table = obj if kind == "table" else getattr(obj, "table", None)
        return getattr(table, "name", name) in OURS

    context = MigrationContext.configure(
        connection, opts={"include_object": ours, "compare_type": True}
    )
    return list(compare_metadata(context, SQLModel.metadata))


async def test_models_match_the_migration(clinical_url: str) -> None:
    engine = create_async_engine(clinical_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()
    assert differences == []
