"""The appointment consumer on a real broker: duplicates bill once, and it outlives a broker restart."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

from aiokafka import AIOKafkaProducer
from sqlmodel import select

from subgraphs.billing.invoices.consumer import appointment_billing_consumer
from subgraphs.billing.invoices.models import InvoiceLine
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.common.database import Database
from subgraphs.common.events.backoff import Backoff
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import CLINICAL_APPOINTMENTS, ensure_topics
from subgraphs.stack.kafka import EmbeddedKafka
from subgraphs.stack.ports import free_port
from tests.subgraphs.billing.invoices.test_visits import completed


async def _produce(bootstrap: str, *events: EventEnvelope) -> None:
    await ensure_topics(bootstrap, [CLINICAL_APPOINTMENTS])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(CLINICAL_APPOINTMENTS.name, event.to_bytes())
    finally:
        await producer.stop()


async def _billed(database: Database, count: int) -> set[uuid.UUID]:
    deadline = time.monotonic() + 20
    while True:
        async with database.session() as session:
            found = [
                line.appointment_id for line in (await session.exec(select(InvoiceLine))).all()
            ]
        if len(found) >= count or time.monotonic() > deadline:
            await asyncio.sleep(0.5)  # a duplicate would have landed by now
            async with database.session() as session:
                lines = (await session.exec(select(InvoiceLine))).all()
            assert len(lines) == len({line.appointment_id for line in lines})
            return {line.appointment_id for line in lines if line.appointment_id}
        await asyncio.sleep(0.1)


async def test_duplicates_bill_once_across_a_broker_restart(
    database: Database, tmp_path: Path
) -> None:
    broker = EmbeddedKafka(free_port(), log_file=tmp_path / "broker.log")
    bootstrap = broker.start()
    patient = uuid.uuid4()
    first, second = completed(uuid.uuid4(), patient), completed(uuid.uuid4(), patient)
    consumer = appointment_billing_consumer(
        database,
        bootstrap,
        settings=InvoiceSettings(appointment_consumer_group=f"billing-{uuid.uuid4().hex[:8]}"),
        currency="GBP",
        backoff=Backoff(initial=0.05, maximum=0.5),
    )
    try:
        await _produce(bootstrap, first, first)
        consumer.start()
        assert await _billed(database, 1) == {uuid.UUID(first.aggregate_id)}
        broker.stop(timeout=0.5)  # a crash: the embedded broker comes back empty
        broker.start()
        await _produce(bootstrap, first, second)  # the outbox relay sends again what it had
        assert await _billed(database, 2) == {
            uuid.UUID(first.aggregate_id),
            uuid.UUID(second.aggregate_id),
        }
    finally:
        await consumer.stop()
        broker.stop()
