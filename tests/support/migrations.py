"""Differences between SQLModel tables and what the migrations created (alembic's autogenerate)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

__all__ = ["model_differences"]


async def model_differences(database_url: str, tables: Collection[str]) -> list[Any]:
    """What autogenerate would change in ``tables`` of the migrated database at ``database_url``."""

    def differences(connection: Connection) -> list[Any]:
        def ours(obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
            table = obj if kind == "table" else getattr(obj, "table", None)
            return getattr(table, "name", name) in tables

        context = MigrationContext.configure(
            connection, opts={"include_object": ours, "compare_type": True}
        )
        return list(compare_metadata(context, SQLModel.metadata))

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(differences)
    finally:
        await engine.dispose()
