"""Subscription rules: who may watch which stream, checked when subscribing and for every event."""

from __future__ import annotations

import uuid

from sqlmodel import select

from subgraphs.clinical.access.audit import AccessedRecord, record_access
from subgraphs.clinical.access.policy import (
    AccessPurpose,
    authorize_patient_access,
    authorize_patients_access,
)
from subgraphs.clinical.live.replay import FeedEvent
from subgraphs.clinical.records.access import (
    AppointmentParties,
    appointment_parties,
    caller_doctor_id,
)
from subgraphs.clinical.records.events import RECORD_CHANGED
from subgraphs.clinical.records.models import MedicalRecordVersion
from subgraphs.common.context import Caller, Role
from subgraphs.common.database import Database
from subgraphs.common.errors import BadUserInput, DomainError, Forbidden

__all__ = [
    "appointment_for",
    "authorize_appointment_stream",
    "authorize_record_stream",
    "record_version_for",
]


async def authorize_record_stream(
    database: Database, caller: Caller, *, patient_id: uuid.UUID
) -> None:
    """May ``caller`` watch ``patient_id``'s medical records? (raises NOT_FOUND/FORBIDDEN)."""
    async with database.transaction() as session:
        await authorize_patient_access(
            session, caller, patient_id, purpose=AccessPurpose.CLINICAL_READ
        )


async def record_version_for(
    database: Database, caller: Caller, event: FeedEvent, *, patient_id: uuid.UUID
) -> MedicalRecordVersion | None:
    """The record version an event announces, if it concerns ``patient_id``.

    Access is decided again for each event (it may have been withdrawn since subscribing:
    then the stream ends with the policy's error), and each delivery is audited as a read.
    """
    envelope = event.envelope
    if envelope.type != RECORD_CHANGED or envelope.payload.get("patientId") != str(patient_id):
        return None
    record_id = uuid.UUID(envelope.aggregate_id)
    async with database.transaction() as session:
        grant = await authorize_patient_access(
            session, caller, patient_id, purpose=AccessPurpose.CLINICAL_READ
        )
        version = (
            await session.exec(
                select(MedicalRecordVersion).where(
                    MedicalRecordVersion.record_id == record_id,
                    MedicalRecordVersion.version == int(envelope.payload.get("version", 0)),
                )
            )
        ).first()
        if version is not None:
            await record_access(
                session,
                caller,
                [grant],
                records=[AccessedRecord("medical_record", str(record_id), patient_id)],
            )
    return version


async def authorize_appointment_stream(
    database: Database,
    caller: Caller,
    *,
    doctor_id: uuid.UUID | None,
    patient_id: uuid.UUID | None,
) -> None:
    """May ``caller`` watch these appointments? A patient's: the access rule decides. A whole
    schedule: the doctor themselves, staff and administrators; never a patient."""
    if doctor_id is None and patient_id is None:
        raise BadUserInput("Give doctorId, patientId or both.", extensions={"field": "doctorId"})
    async with database.transaction() as session:
        if patient_id is not None:
            await authorize_patient_access(
                session, caller, patient_id, purpose=AccessPurpose.APPOINTMENTS
            )
            return
        role = caller.require_role(Role.DOCTOR, Role.STAFF, Role.ADMIN)
        if role is Role.DOCTOR and await caller_doctor_id(session, caller) != doctor_id:
            raise Forbidden("A doctor may watch their own schedule only.")


async def appointment_for(
    database: Database,
    caller: Caller,
    event: FeedEvent,
    *,
    doctor_id: uuid.UUID | None,
    patient_id: uuid.UUID | None,
) -> AppointmentParties | None:
    """The parties of an appointment event when it matches the filters and may be shown.

    Events name their patient and doctor (``patientId``/``doctorId`` in the payload); older
    events without them are looked up. On a one-patient stream a withdrawn access ends the
    stream; on a schedule stream events of patients the caller may not see are skipped.
    """
    envelope = event.envelope
    if not envelope.type.startswith("appointment."):
        return None
    appointment_id = uuid.UUID(envelope.aggregate_id)
    async with database.transaction() as session:
        try:
            parties = AppointmentParties(
                appointment_id,
                uuid.UUID(str(envelope.payload["patientId"])),
                uuid.UUID(str(envelope.payload["doctorId"])),
            )
        except (KeyError, ValueError):
            found = await appointment_parties(session, [appointment_id])
            if appointment_id not in found:
                return None
            parties = found[appointment_id]
        if (patient_id is not None and parties.patient_id != patient_id) or (
            doctor_id is not None and parties.doctor_id != doctor_id
        ):
            return None
        outcome = (
            await authorize_patients_access(
                session, caller, [parties.patient_id], purpose=AccessPurpose.APPOINTMENTS
            )
        )[parties.patient_id]
        if isinstance(outcome, DomainError):
            if patient_id is not None:
                raise outcome
            return None
        await record_access(
            session,
            caller,
            [outcome],
            records=[AccessedRecord("appointment", str(appointment_id), parties.patient_id)],
        )
    return parties
