"""Alembic environment shared by every service: runs on the connection the runner hands in."""

from __future__ import annotations

import asyncio
import importlib

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

config = context.config
service = config.attributes.get("service")
if service:
    # Import the service's tables so autogenerate compares against them.
    importlib.import_module(
        "subgraphs.common.outbox.models" if service == "common" else f"subgraphs.{service}.models"
    )
target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return

    async def run_async() -> None:
        engine = create_async_engine(config.get_main_option("sqlalchemy.url") or "")
        async with engine.begin() as async_connection:
            await async_connection.run_sync(_run)
        await engine.dispose()

    asyncio.run(run_async())


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_online()
