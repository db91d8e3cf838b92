"""The real services a benchmark runs against: embedded unless ``DATABASE_URL`` /
``KAFKA_BOOTSTRAP_SERVERS`` point at running ones."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from subgraphs.common.migrations import upgrade_database
from subgraphs.stack.databases import create_database, drop_database
from subgraphs.stack.kafka import EmbeddedKafka
from subgraphs.stack.ports import free_port
from subgraphs.stack.postgres import EmbeddedPostgres, asyncpg_url, database_url

__all__ = ["kafka_bootstrap", "migrated_database", "postgres_server"]


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server URL (libpq form)."""
    external = os.environ.get("DATABASE_URL")
    if external:
        yield external
        return
    data_dir = Path(tempfile.mkdtemp(prefix="healthgraph-bench-postgres-"))
    server = EmbeddedPostgres(data_dir / "data", delete_on_stop=True)
    try:
        yield server.start()
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


@contextlib.contextmanager
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap servers of a Kafka-protocol broker."""
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        yield external
        return
    broker = EmbeddedKafka(free_port())
    try:
        yield broker.start()
    finally:
        broker.stop()


@contextlib.asynccontextmanager
async def migrated_database(server_url: str, service: str) -> AsyncIterator[str]:
    """A fresh database migrated for ``service``, dropped afterwards; yields its asyncpg URL."""
    name = f"bench_{service}_{uuid.uuid4().hex[:8]}"
    await create_database(server_url, name)
    try:
        url = asyncpg_url(database_url(server_url, name))
        await upgrade_database(service, url)
        yield url
    finally:
        await drop_database(server_url, name)
