"""Give every subgraph its database on a PostgreSQL server and bring it to the latest migration."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from urllib.parse import urlsplit

import asyncpg

from subgraphs.common.migrations import upgrade_database
from subgraphs.stack.databases import ensure_database, server_version
from subgraphs.stack.postgres import asyncpg_url, database_url
from subgraphs.stack.services import ServiceSpec

__all__ = ["DatabaseUnreachableError", "ensure_reachable", "provision_databases"]


CONNECT_TIMEOUT = 10.0


def _redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


class DatabaseUnreachableError(RuntimeError):
    """The PostgreSQL server did not answer."""


async def ensure_reachable(url: str, *, names_it: str = "DATABASE_URL") -> None:
    """Raise :class:`DatabaseUnreachableError` (one line) unless PostgreSQL answers at ``url``
    (libpq or SQLAlchemy form); ``names_it`` is the variable to check."""
    try:
        await asyncio.wait_for(server_version(url.replace("+asyncpg", "", 1)), CONNECT_TIMEOUT)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        reason = str(exc) or type(exc).__name__
        raise DatabaseUnreachableError(
            f"cannot reach PostgreSQL at {_redacted(url)}: {reason} "
            f"(is it running? {names_it} names it)"
        ) from exc


async def provision_databases(server_url: str, specs: Iterable[ServiceSpec]) -> dict[str, str]:
    """Create each service's database if missing and migrate it; service name -> asyncpg URL."""
    await ensure_reachable(server_url)
    urls: dict[str, str] = {}
    for spec in specs:
        await ensure_database(server_url, spec.database)
        url = asyncpg_url(database_url(server_url, spec.database))
        await upgrade_database(spec.name, url)
        urls[spec.name] = url
    return urls
