"""The hand-written migrations create exactly the tables the models describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import subgraphs.auth.models  # noqa: F401 (registers the tables on SQLModel.metadata)
from tests.conftest import ServiceDatabaseFactory

AUTH_TABLES = {
    "auth_user",
    "signing_key",
    "refresh_token",
    "sign_in_challenge",
    "totp_credential",
    "recovery_code",
    "external_identity",
    "outbox_event",  # the kernel's, migrated with every service
    "processed_event",
}


async def test_no_drift_between_models_and_migrations(
    service_database: ServiceDatabaseFactory,
) -> None:
    engine = create_async_engine(await service_database("auth"))

    def diff(connection: Connection) -> list[Any]:
        def ours(name: str | None, type_: str, _: Any) -> bool:
            return type_ != "table" or name in AUTH_TABLES  # other services' tables may be loaded

        def our_objects(_: Any, name: str | None, type_: str, *__: Any) -> bool:
            # Tables defined in metadata but absent from the database come through here.
            return type_ != "table" or name in AUTH_TABLES

        options = {"compare_type": True, "include_name": ours, "include_object": our_objects}
        context = MigrationContext.configure(connection, opts=options)
        return list(compare_metadata(context, SQLModel.metadata))

    async with engine.connect() as connection:
        changes = await connection.run_sync(diff)
    await engine.dispose()
    assert changes == []
