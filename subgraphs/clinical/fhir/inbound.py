"""What a client sends: a FHIR Patient or Appointment as our service's arguments, and JSON Patch (RFC 6902)."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.patient import Patient as FhirPatient
from pydantic import ValidationError

from subgraphs.clinical.appointments.models import AppointmentStatus
from subgraphs.clinical.fhir.resources import APPOINTMENT_STATUSES
from subgraphs.common.errors import BadUserInput
from subgraphs.common.fhir.outcome import FhirError
from subgraphs.common.fhir.references import reference_id

__all__ = [
    "AppointmentRequest",
    "PatchTestFailed",
    "apply_patch",
    "appointment_request",
    "merge_patch",
    "parse_resource",
    "patient_values",
]


def parse_resource(body: Any, resource_type: str, *, resource_id: str | None = None) -> Any:
    """``body`` validated by the R4B model of ``resource_type`` (400 naming every problem)."""
    if not isinstance(body, dict) or body.get("resourceType") != resource_type:
        raise FhirError(f"The body must be a {resource_type} resource.")
    if resource_id is not None and body.get("id") != resource_id:
        raise FhirError(f"The resource's id must be {resource_id}, as in the URL.")
    model = FhirPatient if resource_type == "Patient" else FhirAppointment
    try:
        return model.model_validate(body)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:10]
        )
        raise FhirError(f"Invalid {resource_type}: {problems}") from None


def _telecom(patient: FhirPatient, system: str) -> str | None:
    for point in patient.telecom or []:
        if point.system == system and point.value:
            return str(point.value)
    return None


def patient_values(patient: FhirPatient) -> dict[str, Any]:
    """The fields of our patient a FHIR Patient gives (absent ones are ``None``: PUT replaces)."""
    names = patient.name or []
    name = next((n for n in names if n.use == "official"), names[0] if names else None)
    address = patient.address[0] if patient.address else None
    lines = list(address.line or []) if address is not None else []
    contact = patient.contact[0] if patient.contact else None
    contact_phone = None
    if contact is not None:
        contact_phone = next(
            (str(t.value) for t in contact.telecom or [] if t.system == "phone"), None
        )
    gender = (patient.gender or "unknown").upper()
    return {
        "given_name": " ".join(str(g) for g in name.given or []) if name and name.given else None,
        "family_name": name.family if name else None,
        "date_of_birth": patient.birthDate,
        "sex": gender,
        "email": _telecom(patient, "email"),
        "phone": _telecom(patient, "phone"),
        "address_line1": lines[0] if lines else None,
        "address_line2": lines[1] if len(lines) > 1 else None,
        "city": address.city if address else None,
        "region": address.state if address else None,
        "postal_code": address.postalCode if address else None,
        "country": address.country if address else None,
        "emergency_contact_name": contact.name.text if contact and contact.name else None,
        "emergency_contact_relationship": (
            contact.relationship[0].text if contact and contact.relationship else None
        ),
        "emergency_contact_phone": contact_phone,
    }


@dataclass(frozen=True, slots=True)
class AppointmentRequest:
    """A FHIR Appointment as our booking's arguments."""

    patient_id: uuid.UUID
    doctor_id: uuid.UUID
    status: AppointmentStatus
    starts_at: datetime
    ends_at: datetime | None
    reason: str | None
    cancellation_reason: str | None


_STATUSES = {fhir: ours for ours, fhir in APPOINTMENT_STATUSES.items()}


def appointment_request(appointment: FhirAppointment) -> AppointmentRequest:
    patient: uuid.UUID | None = None
    doctor: uuid.UUID | None = None
    for participant in appointment.participant or []:
        reference = participant.actor.reference if participant.actor else None
        if reference and reference.split("/")[-2:-1] == ["Patient"]:
            patient = reference_id(reference, "Patient", field="participant")
        elif reference and reference.split("/")[-2:-1] == ["Practitioner"]:
            doctor = reference_id(reference, "Practitioner", field="participant")
    if patient is None or doctor is None:
        raise BadUserInput(
            "An Appointment needs one Patient and one Practitioner participant.",
            extensions={"field": "participant"},
        )
    if appointment.start is None:
        raise BadUserInput("An Appointment needs a start.", extensions={"field": "start"})
    status = "booked" if appointment.status in {"proposed", "pending"} else appointment.status
    if status not in _STATUSES:
        raise BadUserInput(
            f"status must be one of {', '.join(sorted(_STATUSES))}.", extensions={"field": "status"}
        )
    cancellation = appointment.cancelationReason
    return AppointmentRequest(
        patient_id=patient,
        doctor_id=doctor,
        status=_STATUSES[status],
        starts_at=appointment.start,
        ends_at=appointment.end,
        reason=appointment.description,
        cancellation_reason=cancellation.text if cancellation else None,
    )


# ------------------------------------------------------------------ JSON Patch (RFC 6902)


def _pointer(path: str) -> list[str]:
    if not path.startswith("/"):
        raise FhirError(f"Invalid JSON Pointer {path!r}.")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _parent(document: Any, parts: list[str]) -> tuple[Any, str]:
    target = document
    for part in parts[:-1]:
        target = _child(target, part)
    return target, parts[-1]


def _child(target: Any, part: str) -> Any:
    try:
        return target[int(part)] if isinstance(target, list) else target[part]
    except (KeyError, IndexError, ValueError, TypeError):
        raise FhirError(f"The patch path segment {part!r} does not exist.") from None


def _remove(target: Any, key: str) -> Any:
    try:
        return target.pop(int(key) if isinstance(target, list) else key)
    except (KeyError, IndexError, ValueError, TypeError):
        raise FhirError(f"The patch path segment {key!r} does not exist.") from None


def _add(target: Any, key: str, value: Any) -> None:
    if isinstance(target, list):
        if key == "-":
            target.append(value)
            return
        try:
            target.insert(int(key), value)
        except ValueError:
            raise FhirError(f"{key!r} is not a list index.") from None
    elif isinstance(target, dict):
        target[key] = value
    else:
        raise FhirError("A patch may only add into objects and arrays.")


def apply_patch(document: dict[str, Any], operations: Any) -> dict[str, Any]:
    """``document`` with the JSON Patch ``operations`` applied (add, remove, replace, move,
    copy, test); 400 for a malformed patch, 422 when a ``test`` fails."""
    if not isinstance(operations, list):
        raise FhirError("A JSON Patch is an array of operations.")
    patched = copy.deepcopy(document)
    for operation in operations:
        if not isinstance(operation, dict) or not isinstance(operation.get("path"), str):
            raise FhirError("Each patch operation needs an op and a path.")
        op, parts = operation.get("op"), _pointer(operation["path"])
        parent, key = _parent(patched, parts)
        if op == "add":
            _add(parent, key, copy.deepcopy(operation.get("value")))
        elif op == "remove":
            _remove(parent, key)
        elif op == "replace":
            _remove(parent, key)
            _add(parent, key, copy.deepcopy(operation.get("value")))
        elif op in {"move", "copy"}:
            source = _pointer(str(operation.get("from", "")))
            source_parent, source_key = _parent(patched, source)
            value = (
                _remove(source_parent, source_key)
                if op == "move"
                else copy.deepcopy(_child(source_parent, source_key))
            )
            _add(parent, key, value)
        elif op == "test":
            if _child(parent, key) != operation.get("value"):
                raise PatchTestFailed(f"The patch test of {operation['path']} failed.")
        else:
            raise FhirError(f"Unknown patch operation {op!r}.")
    return patched


class PatchTestFailed(FhirError):
    status = 422
    issue = "processing"


def merge_patch(document: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``document`` with a JSON Merge Patch (RFC 7386) applied: ``null`` removes a member."""
    merged = copy.deepcopy(document)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_patch(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
