"""Our rows as FHIR R4 resources (hl7.org/fhir/R4B), built and validated by the ``fhir.resources`` models.

Nothing is copied: every resource is computed from the clinical tables on each request. Ids are
our UUIDs; entries inside a medical record (vital signs, diagnoses) get ``<record id>-<part>``.
"""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Any

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.condition import Condition as FhirCondition
from fhir.resources.R4B.encounter import Encounter as FhirEncounter
from fhir.resources.R4B.medicationrequest import MedicationRequest as FhirMedicationRequest
from fhir.resources.R4B.observation import Observation as FhirObservation
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.practitioner import Practitioner as FhirPractitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole as FhirPractitionerRole
from fhir.resources.R4B.provenance import Provenance as FhirProvenance
from fhir.resources.R4B.schedule import Schedule as FhirSchedule
from fhir.resources.R4B.slot import Slot as FhirSlot

from subgraphs.clinical.appointments.models import Appointment, AppointmentStatus
from subgraphs.clinical.availability.models import DoctorSchedule
from subgraphs.clinical.availability.windows import Interval
from subgraphs.clinical.people.models import Doctor, Patient, PersonColumns
from subgraphs.clinical.prescriptions.models import Prescription
from subgraphs.clinical.records.content import RecordContent
from subgraphs.clinical.records.models import MedicalRecord, RecordStatus

__all__ = [
    "APPOINTMENT_STATUSES",
    "ICD10_SYSTEM",
    "LICENCE_SYSTEM",
    "MRN_SYSTEM",
    "VITALS",
    "appointment_resource",
    "condition_resources",
    "encounter_resource",
    "medication_request_resource",
    "observation_resources",
    "patient_resource",
    "practitioner_resource",
    "practitioner_role_resource",
    "provenance_resource",
    "schedule_resource",
    "slot_id",
    "slot_resource",
]

MRN_SYSTEM = "urn:healthgraph:mrn"
LICENCE_SYSTEM = "urn:healthgraph:licence"
ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10"
_LOINC = "http://loinc.org"
_UCUM = "http://unitsofmeasure.org"

# Our appointment status <-> FHIR AppointmentStatus (valueset appointmentstatus).
APPOINTMENT_STATUSES: dict[AppointmentStatus, str] = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.CHECKED_IN: "arrived",
    AppointmentStatus.COMPLETED: "fulfilled",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.NO_SHOW: "noshow",
}

# Vital signs field -> (part id, LOINC code, display, UCUM unit).
VITALS: dict[str, tuple[str, str, str, str]] = {
    "temperature_c": ("temp", "8310-5", "Body temperature", "Cel"),
    "heart_rate_bpm": ("hr", "8867-4", "Heart rate", "/min"),
    "respiratory_rate": ("rr", "9279-1", "Respiratory rate", "/min"),
    "systolic_mmhg": ("sbp", "8480-6", "Systolic blood pressure", "mm[Hg]"),
    "diastolic_mmhg": ("dbp", "8462-4", "Diastolic blood pressure", "mm[Hg]"),
    "oxygen_saturation": ("spo2", "2708-6", "Oxygen saturation in Arterial blood", "%"),
    "weight_kg": ("wt", "29463-7", "Body weight", "kg"),
    "height_cm": ("ht", "8302-2", "Body height", "cm"),
}


def _instant(value: datetime) -> str:
    return value.isoformat()


def _meta(version: int, updated: datetime) -> dict[str, Any]:
    return {"versionId": str(version), "lastUpdated": _instant(updated)}


def _human(person: PersonColumns) -> dict[str, Any]:
    return {
        "use": "official",
        "family": person.family_name,
        "given": [person.given_name],
        "text": f"{person.given_name} {person.family_name}",
    }


def _telecom(person: PersonColumns) -> list[dict[str, Any]]:
    found = []
    if person.email:
        found.append({"system": "email", "value": person.email})
    if person.phone:
        found.append({"system": "phone", "value": person.phone})
    return found


def patient_resource(row: Patient) -> FhirPatient:
    data: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(row.id),
        "meta": _meta(row.version, row.updated_at),
        "identifier": [{"use": "usual", "system": MRN_SYSTEM, "value": row.mrn}],
        "active": row.archived_at is None,
        "name": [_human(row)],
        "gender": row.sex.lower(),
        "birthDate": row.date_of_birth.isoformat(),
    }
    if telecom := _telecom(row):
        data["telecom"] = telecom
    lines = [line for line in (row.address_line1, row.address_line2) if line]
    address = {
        "line": lines or None,
        "city": row.city,
        "state": row.region,
        "postalCode": row.postal_code,
        "country": row.country,
    }
    if any(address.values()):
        data["address"] = [{k: v for k, v in address.items() if v}]
    if row.emergency_contact_name or row.emergency_contact_phone:
        contact: dict[str, Any] = {"name": {"text": row.emergency_contact_name or ""}}
        if row.emergency_contact_relationship:
            contact["relationship"] = [{"text": row.emergency_contact_relationship}]
        if row.emergency_contact_phone:
            contact["telecom"] = [{"system": "phone", "value": row.emergency_contact_phone}]
        data["contact"] = [contact]
    return FhirPatient.model_validate(data)


def practitioner_resource(row: Doctor) -> FhirPractitioner:
    data: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": str(row.id),
        "meta": _meta(row.version, row.updated_at),
        "identifier": [{"system": LICENCE_SYSTEM, "value": row.licence_number}],
        "active": row.archived_at is None,
        "name": [_human(row)],
    }
    if telecom := _telecom(row):
        data["telecom"] = telecom
    return FhirPractitioner.model_validate(data)


def practitioner_role_resource(row: Doctor) -> FhirPractitionerRole:
    """A doctor's role (one per doctor, sharing the doctor's id): "doctor", with their specialty."""
    return FhirPractitionerRole.model_validate(
        {
            "resourceType": "PractitionerRole",
            "id": str(row.id),
            "meta": _meta(row.version, row.updated_at),
            "active": row.archived_at is None,
            "practitioner": {"reference": f"Practitioner/{row.id}"},
            "code": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/practitioner-role",
                            "code": "doctor",
                        }
                    ]
                }
            ],
            "specialty": [{"text": row.specialty}],
        }
    )


def schedule_resource(row: Doctor, schedule: DoctorSchedule | None) -> FhirSchedule:
    """A doctor's schedule (sharing the doctor's id); free time is searched as ``Slot``."""
    version, updated = (
        (schedule.version, schedule.updated_at) if schedule else (row.version, row.updated_at)
    )
    data: dict[str, Any] = {
        "resourceType": "Schedule",
        "id": str(row.id),
        "meta": _meta(version, updated),
        "active": schedule is not None and row.archived_at is None,
        "actor": [{"reference": f"Practitioner/{row.id}", "display": _human(row)["text"]}],
        "serviceType": [{"text": row.specialty}],
    }
    if schedule is not None:
        data["comment"] = (
            f"{schedule.appointment_minutes}-minute appointments, times in {schedule.time_zone}"
        )
    return FhirSchedule.model_validate(data)


def slot_id(doctor_id: uuid.UUID, interval: Interval) -> str:
    """``<doctor id>-<start as Unix seconds>``: a free slot is no row of ours, only a time."""
    return f"{doctor_id}-{int(interval.start.timestamp())}"


def slot_resource(doctor_id: uuid.UUID, interval: Interval) -> FhirSlot:
    return FhirSlot.model_validate(
        {
            "resourceType": "Slot",
            "id": slot_id(doctor_id, interval),
            "schedule": {"reference": f"Schedule/{doctor_id}"},
            "status": "free",
            "start": _instant(interval.start),
            "end": _instant(interval.end),
        }
    )


def appointment_resource(
    row: Appointment,
    *,
    version: int | None = None,
    status: str | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    updated: datetime | None = None,
) -> FhirAppointment:
    """An appointment, as it is now or (the keyword arguments) as one of its past versions."""
    ours = AppointmentStatus(status or row.status)
    data: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": str(row.id),
        "meta": _meta(version or row.version, updated or row.updated_at),
        "status": APPOINTMENT_STATUSES[ours],
        "start": _instant(starts_at or row.starts_at),
        "end": _instant(ends_at or row.ends_at),
        "created": _instant(row.created_at),
        "participant": [
            {"actor": {"reference": f"Patient/{row.patient_id}"}, "status": "accepted"},
            {"actor": {"reference": f"Practitioner/{row.doctor_id}"}, "status": "accepted"},
        ],
    }
    if row.reason:
        data["description"] = row.reason
    if ours is AppointmentStatus.CANCELLED and row.cancellation_reason:
        data["cancelationReason"] = {"text": row.cancellation_reason}
    if row.overbooked:
        data["comment"] = "Overbooked"
    return FhirAppointment.model_validate(data)


def encounter_resource(
    record: MedicalRecord, content: RecordContent, *, version: int, status: str, updated: datetime
) -> FhirEncounter:
    """A medical record (one version) as the encounter it documents."""
    data: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": str(record.id),
        "meta": _meta(version, updated),
        "status": "finished" if status == RecordStatus.ACTIVE.value else "entered-in-error",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "AMB",
            "display": "ambulatory",
        },
        "subject": {"reference": f"Patient/{record.patient_id}"},
        "period": {"start": _instant(record.encounter_at)},
    }
    if record.appointment_id:
        data["appointment"] = [{"reference": f"Appointment/{record.appointment_id}"}]
    if content.diagnoses:
        data["diagnosis"] = [
            {
                "condition": {"reference": f"Condition/{record.id}-dx{n}"},
                "rank": 1 if diagnosis.primary else None,
            }
            for n, diagnosis in enumerate(content.diagnoses, 1)
        ]
    return FhirEncounter.model_validate(data)


def observation_resources(record: MedicalRecord) -> list[FhirObservation]:
    """The vital signs of a record, one Observation each (LOINC-coded, UCUM units)."""
    content = RecordContent.model_validate(record.content)
    vitals = content.vitals
    if vitals is None:
        return []
    when = vitals.measured_at or record.encounter_at
    found = []
    for field, (part, code, display, unit) in VITALS.items():
        value = getattr(vitals, field)
        if value is None:
            continue
        found.append(
            FhirObservation.model_validate(
                {
                    "resourceType": "Observation",
                    "id": f"{record.id}-{part}",
                    "meta": _meta(record.version, record.updated_at),
                    "status": "final",
                    "category": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                    "code": "vital-signs",
                                }
                            ]
                        }
                    ],
                    "code": {"coding": [{"system": _LOINC, "code": code, "display": display}]},
                    "subject": {"reference": f"Patient/{record.patient_id}"},
                    "encounter": {"reference": f"Encounter/{record.id}"},
                    "effectiveDateTime": _instant(when),
                    "valueQuantity": {
                        "value": value,
                        "unit": unit,
                        "system": _UCUM,
                        "code": unit,
                    },
                }
            )
        )
    return found


def condition_resources(record: MedicalRecord) -> list[FhirCondition]:
    """The diagnoses of a record (ICD-10), one Condition each."""
    content = RecordContent.model_validate(record.content)
    return [
        FhirCondition.model_validate(
            {
                "resourceType": "Condition",
                "id": f"{record.id}-dx{n}",
                "meta": _meta(record.version, record.updated_at),
                "clinicalStatus": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                            "code": "active",
                        }
                    ]
                },
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                "code": "encounter-diagnosis",
                            }
                        ]
                    }
                ],
                "code": {
                    "coding": [{"system": ICD10_SYSTEM, "code": diagnosis.code}],
                    "text": diagnosis.text,
                },
                "subject": {"reference": f"Patient/{record.patient_id}"},
                "encounter": {"reference": f"Encounter/{record.id}"},
                "recordedDate": _instant(record.encounter_at),
            }
        )
        for n, diagnosis in enumerate(content.diagnoses, 1)
    ]


def medication_request_resource(row: Prescription) -> FhirMedicationRequest:
    text = f"{row.dose} {row.route.lower()} {row.frequency}"
    instruction = f"{text}. {row.instructions}" if row.instructions else text
    return FhirMedicationRequest.model_validate(
        {
            "resourceType": "MedicationRequest",
            "id": str(row.id),
            "meta": {"versionId": "2" if row.revoked_at else "1"},
            "status": "revoked" if row.revoked_at else "active",
            "intent": "order",
            "medicationCodeableConcept": {"text": row.medication},
            "subject": {"reference": f"Patient/{row.patient_id}"},
            "authoredOn": _instant(row.issued_at),
            "requester": {"reference": f"Practitioner/{row.doctor_id}"},
            "dosageInstruction": [{"text": instruction, "route": {"text": row.route}}],
            "dispenseRequest": {
                "quantity": {"value": row.quantity},
                "numberOfRepeatsAllowed": row.refills,
            },
            "eventHistory": [{"reference": f"Provenance/{row.id}"}],
        }
    )


def provenance_resource(row: Prescription) -> FhirProvenance:
    """The prescription's signature: the detached JWS over its canonical document (ES256/EdDSA),
    verifiable with the keys at ``/.well-known/prescription-keys.json``."""
    return FhirProvenance.model_validate(
        {
            "resourceType": "Provenance",
            "id": str(row.id),
            "target": [{"reference": f"MedicationRequest/{row.id}"}],
            "recorded": _instant(row.issued_at),
            "activity": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                        "code": "CREATE",
                    }
                ]
            },
            "agent": [
                {
                    "type": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                                "code": "author",
                            }
                        ]
                    },
                    "who": {"reference": f"Practitioner/{row.doctor_id}"},
                }
            ],
            "signature": [
                {
                    "type": [
                        {
                            "system": "urn:iso-astm:E1762-95:2013",
                            "code": "1.2.840.10065.1.12.1.1",
                            "display": "Author's Signature",
                        }
                    ],
                    "when": _instant(row.issued_at),
                    "who": {"reference": f"Practitioner/{row.doctor_id}"},
                    "sigFormat": "application/jose",
                    "targetFormat": "application/json",
                    "data": base64.b64encode(row.jws.encode()).decode(),
                }
            ],
        }
    )
