"""Live subscriptions end to end: a real server, graphql-transport-ws, Kafka, another process."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from subgraphs.clinical.app import create_app
from subgraphs.clinical.live.lifespan import LiveRuntime
from subgraphs.clinical.live.topics import APPOINTMENTS_TOPIC, RECORDS_TOPIC
from subgraphs.clinical.people.models import Doctor, Patient
from subgraphs.clinical.records import service
from subgraphs.common.context import Role
from subgraphs.common.database import Database
from tests.subgraphs.clinical.conftest import clinical_settings
from tests.subgraphs.clinical.factories import (
    caller_of,
    in_care,
    new_doctor,
    new_patient,
    token_of,
)
from tests.subgraphs.clinical.live.relay import publish_outbox
from tests.subgraphs.clinical.live.wsclient import GraphQLWebSocket, graphql_ws
from tests.support.serving import serving_on_port
from tests.support.tokens import JWKS, mint

_REPO = Path(__file__).resolve().parents[4]

RECORDS = """
subscription($patient: ID!, $since: Int) {
  medicalRecordChanged(patientId: $patient, since: $since) {
    position eventId change actor recordId patientId version changedFields
    recordVersion { version notes changedBy }
  }
}
"""
APPOINTMENTS = """
subscription($doctor: ID, $patient: ID, $since: Int) {
  appointmentChanged(doctorId: $doctor, patientId: $patient, since: $since) {
    position type actor appointmentId patientId doctorId status startsAt
  }
}
"""


@asynccontextmanager
async def _serving(app: FastAPI) -> AsyncIterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port; yields the GraphQL WebSocket URL."""
    async with serving_on_port(app) as port:
        yield f"ws://127.0.0.1:{port}/graphql"


@asynccontextmanager
async def _live_service(
    clinical_url: str, kafka_bootstrap: str, key_path: Path, *, capacity: int = 10_000
) -> AsyncIterator[tuple[str, LiveRuntime]]:
    """The real clinical app as production runs it: outbox relay, live feed, real tokens.

    Changes committed before it starts are published first, so the feed's replay window holds
    them and a subscription without ``since`` starts after them.
    """
    await publish_outbox(clinical_url, kafka_bootstrap)
    settings = clinical_settings(
        clinical_url,
        key_path=key_path,
        kafka_bootstrap_servers=kafka_bootstrap,
        outbox_relay_enabled=True,
        live_enabled=True,
        live_replay_capacity=capacity,
    )
    app = create_app(settings, jwks=JWKS)
    async with _serving(app) as url:
        runtime: LiveRuntime = app.state.clinical_live
        await runtime.feed.wait_ready(15)
        yield url, runtime


async def _write_in_another_process(
    clinical_url: str,
    kafka_bootstrap: str,
    doctor: Doctor,
    patient: Patient,
    notes: str,
    *existing: str,
) -> dict[str, Any]:
    """Run the writer process: it commits a record change (outbox) and relays it to Kafka."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.subgraphs.clinical.live.writer",
        clinical_url,
        kafka_bootstrap,
        str(doctor.user_id),
        str(patient.id),
        notes,
        *existing,
        cwd=_REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    result: dict[str, Any] = json.loads(out)
    return result


async def _subscribed(runtime: LiveRuntime, topic: str, count: int = 1) -> None:
    for _ in range(500):
        if runtime.feed.subscriber_count(topic) >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the subscription never registered")


async def _error(ws: GraphQLWebSocket, operation: str) -> dict[str, Any]:
    """The first GraphQL error a failed subscription reports (``error`` or ``next`` with errors)."""
    message = await ws.receive()
    assert message.get("id") == operation, message
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    first: dict[str, Any] = errors[0]
    return first


@pytest.fixture
async def care(database: Database) -> tuple[Patient, Doctor]:
    patient = await new_patient(database, linked=True)
    doctor = await new_doctor(database)
    await in_care(database, patient, doctor)
    return patient, doctor


async def test_change_made_in_another_process_reaches_the_subscriber_then_replays(
    clinical_url: str, kafka_bootstrap: str, tmp_path: Path, care: tuple[Patient, Doctor]
) -> None:
    patient, doctor = care
    async with _live_service(clinical_url, kafka_bootstrap, tmp_path / "rx.pem") as (url, runtime):
        async with graphql_ws(url, token=token_of(doctor)) as ws:
            operation = await ws.subscribe(RECORDS, {"patient": str(patient.id)})
            await _subscribed(runtime, RECORDS_TOPIC)
            written = await _write_in_another_process(
                clinical_url, kafka_bootstrap, doctor, patient, "Seen in clinic"
            )
            change = (await ws.next_payload(operation))["data"]["medicalRecordChanged"]
        assert change["recordId"] == written["recordId"]
        assert change["change"] == "CREATED"
        assert change["actor"] == str(doctor.user_id)
        assert change["recordVersion"] == {
            "version": 1,
            "notes": "Seen in clinic",
            "changedBy": str(doctor.user_id),
        }
        seen = change["position"]
        assert isinstance(seen, int)

        # Disconnected: two more changes happen elsewhere.
        for version, notes in ((1, "Reviewed"), (2, "Discharged")):
            await _write_in_another_process(
                clinical_url,
                kafka_bootstrap,
                doctor,
                patient,
                notes,
                written["recordId"],
                str(version),
            )

        async with graphql_ws(url, token=token_of(doctor)) as ws:
            operation = await ws.subscribe(RECORDS, {"patient": str(patient.id), "since": seen})
            missed = [
                (await ws.next_payload(operation))["data"]["medicalRecordChanged"] for _ in range(2)
            ]
        assert [(item["version"], item["recordVersion"]["notes"]) for item in missed] == [
            (2, "Reviewed"),
            (3, "Discharged"),
        ]
        assert seen < missed[0]["position"] < missed[1]["position"]


async def test_too_old_position_is_a_clear_error(
    clinical_url: str,
    kafka_bootstrap: str,
    tmp_path: Path,
    database: Database,
    care: tuple[Patient, Doctor],
) -> None:
    patient, doctor = care
    async with database.transaction() as session:
        record = await service.create_record(
            session, caller=caller_of(doctor), patient_id=patient.id, content={"notes": "v1"}
        )
    for version in range(1, 4):
        async with database.transaction() as session:
            await service.update_record(
                session,
                caller=caller_of(doctor),
                record_id=record.id,
                expected_version=version,
                changes={"notes": f"v{version + 1}"},
            )
    async with _live_service(clinical_url, kafka_bootstrap, tmp_path / "rx.pem", capacity=2) as (
        url,
        runtime,
    ):
        oldest = runtime.feed._buffers[RECORDS_TOPIC].floor
        async with graphql_ws(url, token=token_of(doctor)) as ws:
            operation = await ws.subscribe(
                RECORDS, {"patient": str(patient.id), "since": oldest - 2}
            )
            error = await _error(ws, operation)
        assert error["extensions"] == {
            "code": "POSITION_TOO_OLD",
            "since": oldest - 2,
            "oldestPosition": oldest,
        }
        async with graphql_ws(url, token=token_of(doctor)) as ws:
            operation = await ws.subscribe(
                RECORDS, {"patient": str(patient.id), "since": oldest - 1}
            )
            replayed = [
                (await ws.next_payload(operation))["data"]["medicalRecordChanged"]["version"]
                for _ in range(2)
            ]
        assert replayed == [3, 4]


async def test_access_is_checked_when_subscribing(
    clinical_url: str,
    kafka_bootstrap: str,
    tmp_path: Path,
    database: Database,
    care: tuple[Patient, Doctor],
) -> None:
    patient, doctor = care
    other_patient = await new_patient(database, linked=True)
    stranger = await new_doctor(database)
    async with _live_service(clinical_url, kafka_bootstrap, tmp_path / "rx.pem") as (url, _):
        for token, code in (
            (None, "UNAUTHENTICATED"),
            (token_of(other_patient), "NOT_FOUND"),
            (token_of(stranger), "FORBIDDEN"),
        ):
            async with graphql_ws(url, token=token) as ws:
                operation = await ws.subscribe(RECORDS, {"patient": str(patient.id)})
                assert (await _error(ws, operation))["extensions"]["code"] == code
        async with graphql_ws(url, token=token_of(patient)) as ws:
            operation = await ws.subscribe(APPOINTMENTS, {"doctor": str(doctor.id)})
            assert (await _error(ws, operation))["extensions"]["code"] == "FORBIDDEN"
        # The treating doctor's token without the records scopes of the role table.
        narrow = mint(role=Role.DOCTOR, user_id=doctor.user_id, scopes=["profile:read"])
        async with graphql_ws(url, token=narrow) as ws:
            operation = await ws.subscribe(RECORDS, {"patient": str(patient.id)})
            assert (await _error(ws, operation))["extensions"] == {
                "code": "FORBIDDEN",
                "requiredScopes": [["records:read"], ["records:read:own"], ["records:break-glass"]],
            }


async def test_a_doctor_watches_their_schedule(
    clinical_url: str,
    kafka_bootstrap: str,
    tmp_path: Path,
    database: Database,
    care: tuple[Patient, Doctor],
) -> None:
    patient, doctor = care
    colleague = await new_doctor(database)
    async with _live_service(clinical_url, kafka_bootstrap, tmp_path / "rx.pem") as (url, runtime):
        async with graphql_ws(url, token=token_of(doctor)) as ws:
            operation = await ws.subscribe(APPOINTMENTS, {"doctor": str(doctor.id)})
            await _subscribed(runtime, APPOINTMENTS_TOPIC)
            # Real bookings: the service's outbox relay puts their events on the broker.
            await in_care(database, patient, colleague)
            own = await in_care(database, patient, doctor, caller=caller_of(doctor))
            change = (await ws.next_payload(operation))["data"]["appointmentChanged"]
        assert change["doctorId"] == str(doctor.id)  # the colleague's booking was filtered out
        assert change["appointmentId"] == str(own.id)
        assert change["patientId"] == str(patient.id)
        assert (change["type"], change["status"]) == ("appointment.booked", "BOOKED")
        assert change["actor"] == str(doctor.user_id)
        assert isinstance(change["position"], int)
        assert uuid.UUID(change["appointmentId"])
