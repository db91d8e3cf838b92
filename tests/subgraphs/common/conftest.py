"""Fixtures of the kernel's tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from subgraphs.common.database import Database
from tests.conftest import ServiceDatabaseFactory


@pytest.fixture
async def database(service_database: ServiceDatabaseFactory) -> AsyncIterator[Database]:
    """A fresh database with only the kernel's tables (outbox, processed events)."""
    database = Database(await service_database("common"))
    yield database
    await database.dispose()
