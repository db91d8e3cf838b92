"""Allowed and denied reads reach the audit store through the real outbox -> Kafka -> consumer path."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI
from sqlmodel import col, select

from subgraphs.clinical.access import authorize_and_record
from subgraphs.clinical.access.policy import AccessPurpose
from subgraphs.clinical.app import create_app
from subgraphs.clinical.audit.feed import AuditStoreHook, AuditSweeper, audit_consumer
from subgraphs.clinical.audit.models import AccessAuditEntry
from subgraphs.common.audit.denials import DENIED_EVENT
from subgraphs.common.database import Database
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.topics import AUDIT_ACCESS
from subgraphs.stack.kafka import EmbeddedKafka
from subgraphs.stack.ports import free_port
from tests.subgraphs.clinical.conftest import clinical_settings
from tests.subgraphs.clinical.factories import caller_of, in_care, new_doctor, new_patient, token_of
from tests.subgraphs.clinical.live.relay import publish_outbox
from tests.support.tokens import JWKS

_PATIENT = "query($id: ID!) { patient(id: $id) { id familyName } }"


@asynccontextmanager
async def _service(url: str, kafka: str, key_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The clinical app with its relay and audit store running (the sweeper left out of it)."""
    settings = clinical_settings(
        url,
        key_path=key_path,
        kafka_bootstrap_servers=kafka,
        outbox_relay_enabled=True,
        outbox_poll_interval=0.05,
        audit_store_enabled=True,
        audit_store_group=f"audit-test-{uuid.uuid4().hex[:8]}",
        audit_sweep_grace=3600,  # only the consumer may store these events
    )
    app: FastAPI = create_app(settings, jwks=JWKS)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://clinical") as http:
            yield http


async def _stored(database: Database, patient_id: uuid.UUID, count: int) -> list[AccessAuditEntry]:
    async with asyncio.timeout(20):
        while True:
            async with database.session() as session:
                rows = await session.exec(
                    select(AccessAuditEntry)
                    .where(col(AccessAuditEntry.patient_ids).contains([patient_id]))
                    .order_by(col(AccessAuditEntry.seq))
                )
                found = list(rows.all())
            if len(found) >= count:
                return found
            await asyncio.sleep(0.1)


async def test_allowed_and_denied_reads_reach_the_store(
    clinical_url: str, database: Database, kafka_bootstrap: str, tmp_path: Path
) -> None:
    doctor, stranger = await new_doctor(database), await new_doctor(database)
    patient = await new_patient(database)
    await in_care(database, patient, doctor)
    async with _service(clinical_url, kafka_bootstrap, tmp_path / "rx.pem") as http:
        for who, request_id in ((doctor, "req-allowed"), (stranger, "req-denied")):
            response = await http.post(
                "/graphql",
                json={"query": _PATIENT, "variables": {"id": str(patient.id)}},
                headers={"authorization": f"Bearer {token_of(who)}", "x-request-id": request_id},
            )
            body = response.json()
            if who is stranger:
                assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
            else:
                assert body["data"]["patient"]["id"] == str(patient.id)
        entries = await _stored(database, patient.id, 2)
    # Keyed by actor, the two events travel in different partitions: any order.
    entries.sort(key=lambda entry: not entry.allowed)
    assert [(e.actor, e.allowed, e.reason, e.request_id) for e in entries] == [
        (str(doctor.user_id), True, None, "req-allowed"),
        (str(stranger.user_id), False, "NO_CARE_RELATIONSHIP", "req-denied"),
    ]
    assert entries[1].event_type == DENIED_EVENT


async def test_a_message_delivered_twice_is_stored_once(
    database: Database, kafka_bootstrap: str
) -> None:
    patient_id = uuid.uuid4()
    event = EventEnvelope(
        type="access.read",
        aggregate_type="access_log",
        aggregate_id="someone",
        actor="someone",
        payload={"patients": [{"patientId": str(patient_id), "basis": "SELF"}]},
    )
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        for _ in range(2):
            await producer.send_and_wait(AUDIT_ACCESS.name, event.to_bytes(), key=b"someone")
    finally:
        await producer.stop()
    consumer = audit_consumer(
        database, kafka_bootstrap, group_id=f"audit-test-{uuid.uuid4().hex[:8]}"
    )
    async with consumer:
        async with asyncio.timeout(20):
            while consumer.status.handled < 2:  # noqa: ASYNC110 (the consumer's own counter)
                await asyncio.sleep(0.05)
    [entry] = await _stored(database, patient_id, 1)
    assert entry.event_id == event.id


async def test_the_store_is_off_when_disabled(clinical_url: str, tmp_path: Path) -> None:
    settings = clinical_settings(clinical_url, key_path=tmp_path / "rx.pem")
    hook = AuditStoreHook(settings)
    await hook.check_ready()
    assert hook.consumer is None


async def test_events_a_restarted_broker_lost_are_stored_from_the_outbox(
    database: Database, clinical_url: str
) -> None:
    """The embedded broker forgets acknowledged messages on restart; the store does not."""
    broker = EmbeddedKafka(free_port())
    bootstrap = broker.start()
    try:
        doctor = await new_doctor(database)
        patient = await new_patient(database)
        await in_care(database, patient, doctor)
        async with database.transaction() as session:
            await authorize_and_record(
                session, caller_of(doctor), patient.id, purpose=AccessPurpose.DEMOGRAPHICS
            )
        await publish_outbox(clinical_url, bootstrap)  # acknowledged: marked published
        broker.stop()
        broker.start()  # memory-only: the topic is gone
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            assert AUDIT_ACCESS.name not in await admin.list_topics()
        finally:
            await admin.close()
        sweeper = AuditSweeper(database, interval=60, grace=0, full_interval=60)
        assert await sweeper.sweep(full=True) == 1
    finally:
        broker.stop()
    [entry] = await _stored(database, patient.id, 1)
    assert (entry.actor, entry.allowed) == (str(doctor.user_id), True)
