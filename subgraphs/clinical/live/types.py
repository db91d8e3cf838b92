"""GraphQL types of live subscriptions: feed positions and the changes they deliver."""

from __future__ import annotations

from datetime import datetime

import strawberry

from subgraphs.clinical.access.scopes import READ_APPOINTMENTS
from subgraphs.clinical.appointments.types import (
    APPOINTMENT_POLICY,
    AppointmentType,
    load_appointment,
)
from subgraphs.clinical.live.replay import FeedEvent
from subgraphs.clinical.people.types import Info
from subgraphs.clinical.records.events import RecordChange
from subgraphs.clinical.records.types import MedicalRecordVersion
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["POSITION", "AppointmentChange", "MedicalRecordChange"]

POSITION = (
    "Where the event sits in its feed: grows with every event (with gaps), is the same on "
    "every replica and is kept across restarts. Subscribe with since set to the last one you "
    "received to get what you missed; since -1 replays the whole retained window."
)


strawberry.enum(RecordChange, name="MedicalRecordChangeKind")


@strawberry.type(description="A medical record changed: the change, and the version it made.")
class MedicalRecordChange:
    position: int = strawberry.field(description=POSITION)
    event_id: strawberry.ID
    occurred_at: datetime
    actor: str = strawberry.field(description="The user id of whoever made the change.")
    change: RecordChange
    record_id: strawberry.ID
    patient_id: strawberry.ID
    version: int
    changed_fields: list[str]
    record_version: MedicalRecordVersion | None = strawberry.field(
        description="The version this change created (what the record said at that point)."
    )


@strawberry.type(description="An appointment was booked, moved, cancelled, checked in, ...")
class AppointmentChange:
    position: int = strawberry.field(description=POSITION)
    event_id: strawberry.ID
    type: str = strawberry.field(description="appointment.booked, .rescheduled, .cancelled, ...")
    occurred_at: datetime
    actor: str
    appointment_id: strawberry.ID
    patient_id: strawberry.ID
    doctor_id: strawberry.ID
    status: str | None
    starts_at: datetime | None
    ends_at: datetime | None

    @guarded(
        READ_APPOINTMENTS,
        policy=APPOINTMENT_POLICY,
        description="The appointment as it is now, with its patient and doctor (access-checked).",
    )
    async def appointment(self, info: Info) -> AppointmentType | None:
        return AppointmentType.of(await load_appointment(info, parse_id(self.appointment_id)))

    @classmethod
    def of(cls, event: FeedEvent, *, patient_id: str, doctor_id: str) -> AppointmentChange:
        envelope = event.envelope
        payload = envelope.payload

        def moment(key: str) -> datetime | None:
            value = payload.get(key)
            return datetime.fromisoformat(value) if isinstance(value, str) else None

        return cls(
            position=event.position,
            event_id=strawberry.ID(str(envelope.id)),
            type=envelope.type,
            occurred_at=envelope.occurred_at,
            actor=envelope.actor,
            appointment_id=strawberry.ID(envelope.aggregate_id),
            patient_id=strawberry.ID(patient_id),
            doctor_id=strawberry.ID(doctor_id),
            status=payload.get("status") if isinstance(payload.get("status"), str) else None,
            starts_at=moment("startsAt"),
            ends_at=moment("endsAt"),
        )
