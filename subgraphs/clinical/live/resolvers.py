"""The live subscriptions (``LiveSubscription``): appointment and medical record changes.

Served over graphql-transport-ws; each event is checked against the access rules before it is
sent, and ``since`` resumes a stream after a reconnect (bounded replay).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from subgraphs.clinical.access.scopes import READ_APPOINTMENTS, READ_RECORDS
from subgraphs.clinical.appointments.types import APPOINTMENT_POLICY
from subgraphs.clinical.live import service
from subgraphs.clinical.live.lifespan import feed_of
from subgraphs.clinical.live.subscriber import ensure_unexpired, subscriber
from subgraphs.clinical.live.topics import APPOINTMENTS_TOPIC, RECORDS_TOPIC
from subgraphs.clinical.live.types import POSITION, AppointmentChange, MedicalRecordChange
from subgraphs.clinical.records.events import RecordChange
from subgraphs.clinical.records.types import RECORD_POLICY, MedicalRecordVersion
from subgraphs.common.context import LoaderRegistry, RequestContext
from subgraphs.common.errors import BadUserInput
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["LiveSubscription"]

Info = strawberry.Info[RequestContext, None]


def check_since(since: int | None) -> None:
    if since is not None and since < -1:
        raise BadUserInput("since is a position: -1 or more.", extensions={"field": "since"})


@strawberry.type
class LiveSubscription:
    @guarded(
        READ_RECORDS,
        policy=RECORD_POLICY,
        subscription=True,
        description="Changes to one patient's medical records, from position since on.",
    )
    async def medical_record_changed(
        self,
        info: Info,
        patient_id: strawberry.ID,
        since: Annotated[int | None, strawberry.argument(description=POSITION)] = None,
    ) -> AsyncGenerator[MedicalRecordChange, None]:
        context = info.context
        caller = await subscriber(context, READ_RECORDS)
        context.caller = caller  # the fields of each event load as the subscriber
        check_since(since)
        patient = parse_id(patient_id, what="patientId")
        await service.authorize_record_stream(context.database, caller, patient_id=patient)
        runtime = feed_of(context)
        await runtime.feed.wait_ready(runtime.settings.live_ready_timeout)
        with runtime.feed.subscribe(RECORDS_TOPIC, since) as events:
            async for event in events:
                ensure_unexpired(caller)
                version = await service.record_version_for(
                    context.database, caller, event, patient_id=patient
                )
                if version is None:
                    continue
                payload = event.envelope.payload
                context.loaders = LoaderRegistry()  # each event loads afresh
                yield MedicalRecordChange(
                    position=event.position,
                    event_id=strawberry.ID(str(event.envelope.id)),
                    occurred_at=event.envelope.occurred_at,
                    actor=event.envelope.actor,
                    change=RecordChange(payload.get("change", RecordChange.UPDATED.value)),
                    record_id=strawberry.ID(event.envelope.aggregate_id),
                    patient_id=strawberry.ID(str(patient)),
                    version=version.version,
                    changed_fields=list(version.changed_fields),
                    record_version=MedicalRecordVersion.from_row(version),
                )

    @guarded(
        READ_APPOINTMENTS,
        policy=APPOINTMENT_POLICY,
        subscription=True,
        description="Appointment changes of a doctor's schedule, of a patient, or both.",
    )
    async def appointment_changed(
        self,
        info: Info,
        doctor_id: strawberry.ID | None = None,
        patient_id: strawberry.ID | None = None,
        since: Annotated[int | None, strawberry.argument(description=POSITION)] = None,
    ) -> AsyncGenerator[AppointmentChange, None]:
        context = info.context
        caller = await subscriber(context, READ_APPOINTMENTS)
        context.caller = caller  # the fields of each event load as the subscriber
        check_since(since)
        doctor = parse_id(doctor_id, what="doctorId") if doctor_id is not None else None
        patient = parse_id(patient_id, what="patientId") if patient_id is not None else None
        await service.authorize_appointment_stream(
            context.database, caller, doctor_id=doctor, patient_id=patient
        )
        runtime = feed_of(context)
        await runtime.feed.wait_ready(runtime.settings.live_ready_timeout)
        with runtime.feed.subscribe(APPOINTMENTS_TOPIC, since) as events:
            async for event in events:
                ensure_unexpired(caller)
                parties = await service.appointment_for(
                    context.database, caller, event, doctor_id=doctor, patient_id=patient
                )
                if parties is not None:
                    context.loaders = LoaderRegistry()  # each event loads afresh
                    yield AppointmentChange.of(
                        event,
                        patient_id=str(parties.patient_id),
                        doctor_id=str(parties.doctor_id),
                    )
