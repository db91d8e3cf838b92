"""The outbox writer: events commit with the change, or not at all."""

from __future__ import annotations

import pytest
from sqlmodel import select

from subgraphs.common.database import Database
from subgraphs.common.outbox import OutboxEvent, record_event
from subgraphs.common.outbox.writer import on_local_commit
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


async def test_a_commit_wakes_the_local_relay_and_a_rollback_does_not(database: Database) -> None:
    woken: list[str] = []
    forget = on_local_commit(lambda: woken.append("commit"))
    try:

        async def write(*, fail: bool) -> None:
            async with database.transaction() as session:
                before = len(woken)
                await record_event(
                    session,
                    topic="test.events",
                    type="thing.created",
                    aggregate_type="thing",
                    aggregate_id="7",
                    actor="user-1",
                )
                assert len(woken) == before  # not before the change is committed
                if fail:
                    raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            await write(fail=True)
        assert woken == []
        await write(fail=False)
        assert woken == ["commit"]
        async with database.transaction() as session:  # a transaction without events
            await session.exec(select(OutboxEvent))
        assert woken == ["commit"]
    finally:
        forget()
    await write(fail=False)
    assert woken == ["commit"]  # forgotten: no longer called
    await database.dispose()
