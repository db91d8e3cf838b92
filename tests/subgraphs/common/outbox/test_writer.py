"""The outbox writer: events commit with the change, or not at all."""

from __future__ import annotations

import pytest
from sqlmodel import select

from subgraphs.common.database import Database
from subgraphs.common.outbox import OutboxEvent, record_event
from tests.conftest import ServiceDatabaseFactory


@pytest.fixture
async def database(service_database: ServiceDatabaseFactory) -> Database:
    return Database(await service_database("common"))


async def test_event_commits_with_its_transaction(database: Database) -> None:
    async with database.transaction() as session:
        envelope = await record_event(
            session,
            topic="test.events",
            type="thing.created",
            aggregate_type="thing",
            aggregate_id="42",
            actor="user-1",
            payload={"name": "synthetic"},
        )
    async with database.session() as session:
        rows = (await session.exec(select(OutboxEvent))).all()
    assert [(row.id, row.type, row.payload, row.published_at) for row in rows] == [
        (envelope.id, "thing.created", {"name": "synthetic"}, None)
    ]
    assert rows[0].position is not None
    await database.dispose()


async def test_event_rolls_back_with_its_transaction(database: Database) -> None:
    async def failing_change() -> None:
        async with database.transaction() as session:
            await record_event(
                session,
                topic="test.events",
                type="thing.created",
                aggregate_type="thing",
                aggregate_id="42",
                actor="user-1",
            )
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await failing_change()
    async with database.session() as session:
        assert (await session.exec(select(OutboxEvent))).all() == []
    await database.dispose()
