"""Creating and dropping the per-service databases on a PostgreSQL server."""

from __future__ import annotations

import re

import asyncpg

from subgraphs.stack.postgres import database_url

__all__ = [
    "create_database",
    "database_exists",
    "drop_database",
    "ensure_database",
    "server_version",
]

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _quoted(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"unsafe database name: {name!r}")
    return f'"{name}"'


async def _admin(server_url: str) -> asyncpg.Connection:
    return await asyncpg.connect(database_url(server_url, "postgres"))


async def server_version(server_url: str) -> str:
    """The server's version string; raises ``OSError`` (or asyncpg's errors) when unreachable."""
    connection = await _admin(server_url)
    try:
        version: str = await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()
    return version


async def database_exists(server_url: str, name: str) -> bool:
    connection = await _admin(server_url)
    try:
        found = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
    finally:
        await connection.close()
    return found is not None


async def create_database(server_url: str, name: str, *, template: str | None = None) -> None:
    """``CREATE DATABASE name`` (cloned from ``template`` by file copy, which is fast when small)."""
    sql = f"CREATE DATABASE {_quoted(name)}"
    if template is not None:
        sql += f" TEMPLATE {_quoted(template)} STRATEGY FILE_COPY"
    connection = await _admin(server_url)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def ensure_database(server_url: str, name: str) -> bool:
    """Create ``name`` unless it exists; True when it was created now."""
    if await database_exists(server_url, name):
        return False
    await create_database(server_url, name)
    return True


async def drop_database(server_url: str, name: str) -> None:
    """Drop ``name``, disconnecting whoever still uses it."""
    connection = await _admin(server_url)
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)")
    finally:
        await connection.close()
