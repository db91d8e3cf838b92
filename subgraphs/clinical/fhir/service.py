"""FHIR interactions (read, vread, history, search, create, update, patch) over the clinical services.

Every interaction calls the same service functions as GraphQL, inside the same audited request
transaction (:mod:`subgraphs.common.audit`): the access policy, the audit of reads, the booking
rules (no double booking) and the outbox all hold. Resources are computed from our rows
(:mod:`subgraphs.clinical.fhir.resources`); nothing is stored twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.resource import Resource
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.clinical.access.principal import resolve_principal
from subgraphs.clinical.appointments import booking
from subgraphs.clinical.appointments import service as appointments
from subgraphs.clinical.appointments.models import Appointment, AppointmentStatus
from subgraphs.clinical.appointments.transitions import (
    cancel_appointment,
    check_in_appointment,
    complete_appointment,
    mark_no_show,
)
from subgraphs.clinical.availability import service as availability
from subgraphs.clinical.fhir.inbound import (
    AppointmentRequest,
    apply_patch,
    appointment_request,
    merge_patch,
    parse_resource,
    patient_values,
)
from subgraphs.clinical.fhir.resources import (
    APPOINTMENT_STATUSES,
    appointment_resource,
    condition_resources,
    encounter_resource,
    medication_request_resource,
    observation_resources,
    patient_resource,
    practitioner_resource,
    practitioner_role_resource,
    provenance_resource,
    schedule_resource,
    slot_resource,
)
from subgraphs.clinical.loaders import single
from subgraphs.clinical.pagination import Page
from subgraphs.clinical.people import service as people
from subgraphs.clinical.people.models import Sex
from subgraphs.clinical.prescriptions import service as prescriptions
from subgraphs.clinical.records import service as records
from subgraphs.clinical.records.content import RecordContent
from subgraphs.clinical.records.models import MedicalRecord
from subgraphs.common.audit import audit_scope, serve
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.errors import BadUserInput, Conflict, NotFound
from subgraphs.common.fhir.bundle import SearchPage, refuse_unknown
from subgraphs.common.fhir.outcome import (
    FhirError,
    NotSupported,
    PreconditionFailed,
)
from subgraphs.common.fhir.references import reference_id

__all__ = [
    "READABLE",
    "SEARCHABLE",
    "VERSIONED",
    "WRITABLE",
    "SearchPage",
    "create",
    "history",
    "patch",
    "read",
    "search",
    "update",
    "vread",
]

# Search parameters per type (CapabilityStatement lists them; others are refused, not ignored).
SEARCHABLE: Mapping[str, Mapping[str, str]] = {
    "Patient": {
        "name": "string",
        "birthdate": "date",
        "identifier": "token",
        "gender": "token",
    },
    "Practitioner": {"name": "string"},
    "PractitionerRole": {"specialty": "token"},
    "Schedule": {"actor": "reference"},
    "Slot": {"schedule": "reference", "start": "date"},
    "Appointment": {
        "patient": "reference",
        "practitioner": "reference",
        "date": "date",
        "status": "token",
    },
    "Encounter": {"patient": "reference"},
    "Observation": {"patient": "reference"},
    "Condition": {"patient": "reference"},
    "MedicationRequest": {"patient": "reference"},
    "Provenance": {"target": "reference"},
}
READABLE = tuple(SEARCHABLE)
WRITABLE = ("Patient", "Appointment")
# Types whose past versions we keep (vread of any of them, _history lists them all).
VERSIONED = ("Appointment", "Encounter")

_SLOT_SEARCH_SPAN = timedelta(days=7)


def _uuid(resource_type: str, resource_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(resource_id)
    except ValueError:
        raise NotFound(f"No such {resource_type}.") from None


def _part(resource_type: str, resource_id: str) -> tuple[uuid.UUID, str]:
    """A record entry's id ``<record id>-<part>``: the record's id and the part."""
    record, _, part = resource_id.rpartition("-")
    return _uuid(resource_type, record), part


def _one(found: Sequence[Resource], resource_type: str) -> Resource:
    if not found:
        raise NotFound(f"No such {resource_type}.")
    return found[0]


# ------------------------------------------------------------------ read


async def _read_patient(session: AsyncSession, context: RequestContext, rid: str) -> Resource:
    row = await people.get_patient(session, caller=context.caller, patient_id=_uuid("Patient", rid))
    return patient_resource(row)


async def _doctor(session: AsyncSession, context: RequestContext, rid: str) -> Any:
    doctor_id = _uuid("Practitioner", rid)
    found = await people.get_doctors(session, caller=context.caller, doctor_ids=[doctor_id])
    return single(found, doctor_id)


async def _read_practitioner(session: AsyncSession, context: RequestContext, rid: str) -> Resource:
    return practitioner_resource(await _doctor(session, context, rid))


async def _read_role(session: AsyncSession, context: RequestContext, rid: str) -> Resource:
    return practitioner_role_resource(await _doctor(session, context, rid))


async def _read_schedule(session: AsyncSession, context: RequestContext, rid: str) -> Resource:
    doctor = await _doctor(session, context, rid)
    schedule, _, _ = await availability.get_schedule(
        session,
        caller=context.caller,
        doctor_id=doctor.id,
        exceptions_from=datetime.now(UTC).date(),
    )
    return schedule_resource(doctor, schedule)


async def _appointment(session: AsyncSession, context: RequestContext, rid: str) -> Appointment:
    appointment_id = _uuid("Appointment", rid)
    found = await appointments.read_appointments(
        session, caller=context.caller, appointment_ids=[appointment_id]
    )
    return single(found, appointment_id)


async def _read_appointment(session: AsyncSession, context: RequestContext, rid: str) -> Resource:
    return appointment_resource(await _appointment(session, context, rid))


async def _record(
    session: AsyncSession, context: RequestContext, record_id: uuid.UUID
) -> MedicalRecord:
    return await records.get_record(session, caller=context.caller, record_id=record_id)


def _encounter(record: MedicalRecord) -> Resource:
    return encounter_resource(
        record,
        RecordContent.model_validate(record.content),
        version=record.version,
        status=record.status,
        updated=record.updated_at,
    )


async def _read_encounter(session: AsyncSession, context: RequestContext, rid: str) -> Resource:
    return _encounter(await _record(session, context, _uuid("Encounter", rid)))


async def _read_observation(session: AsyncSession, context: RequestContext, rid: str) -> Resource:
    record_id, _ = _part("Observation", rid)
    found = observation_resources(await _record(session, context, record_id))
    return _one([o for o in found if o.id == rid], "Observation")


async def _read_condition(session: AsyncSession, context: RequestContext, rid: str) -> Resource:
    record_id, _ = _part("Condition", rid)
    found = condition_resources(await _record(session, context, record_id))
    return _one([c for c in found if c.id == rid], "Condition")


async def _prescription(session: AsyncSession, context: RequestContext, rid: str) -> Any:
    return await prescriptions.get_prescription(
        session, caller=context.caller, prescription_id=_uuid("MedicationRequest", rid)
    )


async def _read_medication_request(
    session: AsyncSession, context: RequestContext, rid: str
) -> Resource:
    return medication_request_resource(await _prescription(session, context, rid))


async def _read_provenance(session: AsyncSession, context: RequestContext, rid: str) -> Resource:
    return provenance_resource(await _prescription(session, context, rid))


_Reader = Callable[[AsyncSession, RequestContext, str], Awaitable[Resource]]

_READERS: Mapping[str, _Reader] = {
    "Patient": _read_patient,
    "Practitioner": _read_practitioner,
    "PractitionerRole": _read_role,
    "Schedule": _read_schedule,
    "Appointment": _read_appointment,
    "Encounter": _read_encounter,
    "Observation": _read_observation,
    "Condition": _read_condition,
    "MedicationRequest": _read_medication_request,
    "Provenance": _read_provenance,
}


async def read(context: RequestContext, resource_type: str, resource_id: str) -> Resource:
    """The current version of one resource (an audited read where it is patient data)."""
    reader = _READERS.get(resource_type)
    if reader is None:
        raise NotSupported(f"{resource_type} cannot be read by id here.")
    async with audit_scope(context), context.database.transaction() as session:
        return await reader(session, context, resource_id)


# ------------------------------------------------------------------ versions


async def _appointment_versions(
    session: AsyncSession, context: RequestContext, rid: str
) -> list[Resource]:
    row = await _appointment(session, context, rid)
    changes = (await appointments.appointment_history(session, appointment_ids=[row.id]))[row.id]
    # Every change of an appointment (booking, status change, reschedule) adds one version.
    versions: list[Resource] = [
        appointment_resource(
            row,
            version=n,
            status=change.to_status,
            starts_at=change.starts_at,
            ends_at=change.ends_at,
            updated=change.changed_at,
        )
        for n, change in enumerate(changes, 1)
        if n < row.version
    ]
    return [*versions, appointment_resource(row)]


async def _encounter_versions(
    session: AsyncSession, context: RequestContext, rid: str
) -> list[Resource]:
    record_id = _uuid("Encounter", rid)
    record = await _record(session, context, record_id)
    versions = await records.record_history(session, caller=context.caller, record_id=record_id)
    return [
        encounter_resource(
            record,
            RecordContent.model_validate(v.content),
            version=v.version,
            status=v.status,
            updated=v.changed_at,
        )
        for v in versions
    ]


_VERSIONS: Mapping[str, Callable[..., Awaitable[list[Resource]]]] = {
    "Appointment": _appointment_versions,
    "Encounter": _encounter_versions,
}


async def history(context: RequestContext, resource_type: str, resource_id: str) -> list[Resource]:
    """Every version we keep, newest first (only the current one for types we do not version)."""
    versions = _VERSIONS.get(resource_type)
    if versions is None:
        return [await read(context, resource_type, resource_id)]
    async with audit_scope(context), context.database.transaction() as session:
        found: list[Resource] = await versions(session, context, resource_id)
    return list(reversed(found))


async def vread(
    context: RequestContext, resource_type: str, resource_id: str, version: str
) -> Resource:
    """One version of a resource: any kept one (appointments, encounters), else the current."""
    for resource in await history(context, resource_type, resource_id):
        if resource.meta is not None and resource.meta.versionId == version:
            return resource
    kept = "" if resource_type in VERSIONED else " (only the current version is kept)"
    raise NotFound(f"{resource_type}/{resource_id} has no version {version}{kept}.")


# ------------------------------------------------------------------ search


def _single_value(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        raise BadUserInput(f"Give {name} at most once.", extensions={"field": name})
    return values[0] if values else None


def _date_bounds(values: Sequence[str], field: str) -> tuple[datetime | None, datetime | None]:
    """``[start, end)`` from ``ge``/``gt``/``le``/``lt``/``eq`` date(-time) prefixes."""
    start = end = None
    for value in values:
        prefix, text = (
            (value[:2], value[2:]) if value[:2] in {"ge", "gt", "le", "lt", "eq"} else ("eq", value)
        )
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise BadUserInput(
                f"{field} must be a date or date-time.", extensions={"field": field}
            ) from None
        day_only = len(text) == 10
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        if prefix in {"ge", "gt", "eq"}:
            start = parsed + (timedelta(days=1) if prefix == "gt" and day_only else timedelta())
        if prefix in {"le", "lt", "eq"}:
            end = parsed + (timedelta(days=1) if day_only and prefix != "lt" else timedelta())
    return start, end


@dataclass(frozen=True, slots=True)
class _Query:
    """One search: the transaction it runs in, who asks, the parameters and the page asked for."""

    session: AsyncSession
    context: RequestContext
    params: Mapping[str, list[str]]
    count: int
    cursor: str | None

    @property
    def caller(self) -> Caller:
        return self.context.caller

    def one(self, name: str) -> str | None:
        return _single_value(self.params, name)

    def required(self, name: str, target: str) -> uuid.UUID:
        """The id of the ``<target>/<id>`` reference parameter ``name`` (BAD_USER_INPUT if absent)."""
        value = self.one(name)
        if value is None:
            raise BadUserInput(f"Search by {name}={target}/<id>.", extensions={"field": name})
        return reference_id(value, target, field=name)


def _page_of(page: Page[Any], build: Callable[[Any], Sequence[Resource]]) -> SearchPage:
    found = [resource for row in page.items for resource in build(row)]
    return SearchPage(found, page.end_cursor if page.has_next_page else None)


async def _patient_param(query: _Query) -> uuid.UUID:
    """The ``patient`` searched; a patient may leave it out (their own)."""
    if query.one("patient") is not None:
        return query.required("patient", "Patient")
    principal = await resolve_principal(query.session, query.caller)
    if principal.patient_id is None:
        return query.required("patient", "Patient")
    return principal.patient_id


async def _search_patients(query: _Query) -> SearchPage:
    identifier, name = query.one("identifier"), query.one("name")
    birthdate, gender = query.one("birthdate"), query.one("gender")
    try:
        born = date.fromisoformat(birthdate) if birthdate else None
    except ValueError:
        raise BadUserInput(
            "birthdate must be YYYY-MM-DD.", extensions={"field": "birthdate"}
        ) from None
    mrn = identifier.rpartition("|")[2] if identifier else None
    page = await people.list_patients(
        query.session,
        caller=query.caller,
        first=query.count,
        after=query.cursor,
        search=mrn or name,
        born_on=born,
        sex=Sex(gender.upper()) if gender and gender.upper() in Sex.__members__ else None,
    )
    words = (name or "").lower().split() if mrn else []

    def matches(row: Any) -> list[Resource]:
        full = f"{row.given_name} {row.family_name}".lower()
        wanted = (mrn is None or row.mrn == mrn) and all(w in full for w in words)
        return [patient_resource(row)] if wanted else []

    return _page_of(page, matches)


def _doctor_search(build: Callable[[Any], Resource]) -> Callable[[_Query], Awaitable[SearchPage]]:
    async def search_doctors(query: _Query) -> SearchPage:
        page = await people.list_doctors(
            query.session,
            caller=query.caller,
            first=query.count,
            after=query.cursor,
            search=query.one("name"),
            specialty=query.one("specialty"),
        )
        return _page_of(page, lambda row: [build(row)])

    return search_doctors


async def _search_schedules(query: _Query) -> SearchPage:
    doctor_id = query.required("actor", "Practitioner")
    return SearchPage([await _read_schedule(query.session, query.context, str(doctor_id))], None)


async def _search_slots(query: _Query) -> SearchPage:
    doctor_id = query.required("schedule", "Schedule")
    start, end = _date_bounds(query.params.get("start", []), "start")
    start = start or datetime.now(UTC)
    end = end or start + _SLOT_SEARCH_SPAN
    free = await availability.available_slots(
        query.session, caller=query.caller, doctor_id=doctor_id, start=start, end=end
    )
    return SearchPage(
        [slot_resource(doctor_id, interval) for interval in free[: query.count]], None
    )


async def _search_appointments(query: _Query) -> SearchPage:
    start, end = _date_bounds(query.params.get("date", []), "date")
    statuses = []
    wanted = {fhir: ours for ours, fhir in APPOINTMENT_STATUSES.items()}
    for value in query.params.get("status", []):
        for code in value.split(","):
            if code not in wanted:
                raise BadUserInput(
                    f"Unknown appointment status {code!r}.", extensions={"field": "status"}
                )
            statuses.append(wanted[code])
    page = await appointments.list_appointments(
        query.session,
        caller=query.caller,
        first=query.count,
        after=query.cursor,
        patient_id=query.required("patient", "Patient") if query.one("patient") else None,
        doctor_id=(
            query.required("practitioner", "Practitioner") if query.one("practitioner") else None
        ),
        start=start,
        end=end,
        statuses=statuses or None,
    )
    return _page_of(page, lambda row: [appointment_resource(row)])


def _record_search(
    build: Callable[[MedicalRecord], Sequence[Resource]],
) -> Callable[[_Query], Awaitable[SearchPage]]:
    async def search_records(query: _Query) -> SearchPage:
        page = await records.list_records(
            query.session,
            caller=query.caller,
            patient_id=await _patient_param(query),
            first=query.count,
            after=query.cursor,
        )
        return _page_of(page, build)

    return search_records


async def _search_medication_requests(query: _Query) -> SearchPage:
    page = await prescriptions.list_prescriptions(
        query.session,
        caller=query.caller,
        patient_id=await _patient_param(query),
        first=query.count,
        after=query.cursor,
    )
    return _page_of(page, lambda row: [medication_request_resource(row)])


async def _search_provenance(query: _Query) -> SearchPage:
    target = str(query.required("target", "MedicationRequest"))
    return SearchPage([await _read_provenance(query.session, query.context, target)], None)


_SEARCHES: Mapping[str, Callable[[_Query], Awaitable[SearchPage]]] = {
    "Patient": _search_patients,
    "Practitioner": _doctor_search(practitioner_resource),
    "PractitionerRole": _doctor_search(practitioner_role_resource),
    "Schedule": _search_schedules,
    "Slot": _search_slots,
    "Appointment": _search_appointments,
    "Encounter": _record_search(lambda record: [_encounter(record)]),
    "Observation": _record_search(observation_resources),
    "Condition": _record_search(condition_resources),
    "MedicationRequest": _search_medication_requests,
    "Provenance": _search_provenance,
}


async def search(
    context: RequestContext,
    resource_type: str,
    params: Mapping[str, list[str]],
    *,
    count: int,
    cursor: str | None,
) -> SearchPage:
    """One page of the resources matching ``params`` that the caller may see (audited)."""
    searcher = _SEARCHES.get(resource_type)
    if searcher is None:
        raise NotSupported(f"{resource_type} cannot be searched here.")
    refuse_unknown(params, SEARCHABLE[resource_type], resource_type)
    async with audit_scope(context), context.database.transaction() as session:
        return await searcher(_Query(session, context, params, count, cursor))


# ------------------------------------------------------------------ writes


def _precondition(error: Conflict) -> PreconditionFailed:
    return PreconditionFailed(f"{error.message} Read it again and retry with its ETag.")


async def create(context: RequestContext, resource_type: str, body: Any) -> Resource:
    """Register a patient, or book an appointment (the same rules as GraphQL's bookAppointment)."""
    if resource_type == "Patient":
        patient = parse_resource(body, "Patient")
        row = await serve(
            context, people.create_person, kind=people.PATIENTS, values=patient_values(patient)
        )
        return patient_resource(row)
    if resource_type == "Appointment":
        wanted = appointment_request(parse_resource(body, "Appointment"))
        if wanted.status is not AppointmentStatus.BOOKED:
            raise BadUserInput(
                "A new Appointment is booked: status must be booked.",
                extensions={"field": "status"},
            )
        async with audit_scope(context):
            booked = await appointments.book_appointment(
                context.database,
                caller=context.caller,
                patient_id=wanted.patient_id,
                doctor_id=wanted.doctor_id,
                starts_at=wanted.starts_at,
                ends_at=wanted.ends_at,
                reason=wanted.reason,
            )
        return appointment_resource(booked)
    raise NotSupported(f"{resource_type} cannot be created here.")


async def _update_patient(
    context: RequestContext, resource_id: str, patient: Any, expected: int | None
) -> Resource:
    try:
        row = await serve(
            context,
            people.update_person,
            kind=people.PATIENTS,
            person_id=_uuid("Patient", resource_id),
            changes=patient_values(patient),
            expected_version=expected,
        )
    except Conflict as error:
        if "currentVersion" in error.extensions:
            raise _precondition(error) from None
        raise
    return patient_resource(row)


async def _change_appointment(
    session: AsyncSession,
    context: RequestContext,
    resource_id: str,
    wanted: AppointmentRequest,
    expected: int | None,
) -> Appointment:
    """Apply a wanted state to an appointment in one transaction: reschedule and/or one status step."""
    current = await _appointment(session, context, resource_id)
    row = (
        await session.exec(
            select(Appointment).where(col(Appointment.id) == current.id).with_for_update()
        )
    ).one()
    if expected is not None and expected != row.version:
        raise PreconditionFailed(
            f"This appointment was changed by someone else (version {row.version})."
            " Read it again and retry with its ETag."
        )
    if (wanted.patient_id, wanted.doctor_id) != (row.patient_id, row.doctor_id):
        raise BadUserInput(
            "An appointment's patient and practitioner cannot change: book a new one.",
            extensions={"field": "participant"},
        )
    caller = context.caller
    now = datetime.now(UTC)
    moved = wanted.starts_at != row.starts_at or (
        wanted.ends_at is not None and wanted.ends_at != row.ends_at
    )
    if moved:
        row = await booking.reschedule(
            session,
            caller=caller,
            appointment_id=row.id,
            starts_at=wanted.starts_at,
            ends_at=wanted.ends_at,
            reason=None,
            overbook=False,
            when=now,
        )
    if wanted.status.value == row.status:
        return row
    if wanted.status is AppointmentStatus.CANCELLED:
        return await cancel_appointment(
            session,
            caller=caller,
            appointment_id=row.id,
            reason=wanted.cancellation_reason or "Cancelled through FHIR.",
            now=now,
        )
    steps = {
        AppointmentStatus.CHECKED_IN: check_in_appointment,
        AppointmentStatus.COMPLETED: complete_appointment,
        AppointmentStatus.NO_SHOW: mark_no_show,
    }
    step = steps.get(wanted.status)
    if step is None:
        raise Conflict(f"A {row.status} appointment cannot become {wanted.status.value}.")
    return await step(session, caller=caller, appointment_id=row.id, now=now)


async def _update_appointment(
    context: RequestContext, resource_id: str, appointment: FhirAppointment, expected: int | None
) -> Resource:
    wanted = appointment_request(appointment)
    async with audit_scope(context):
        row = await context.database.transact(
            lambda session: _change_appointment(session, context, resource_id, wanted, expected)
        )
    return appointment_resource(row)


async def update(
    context: RequestContext,
    resource_type: str,
    resource_id: str,
    body: Any,
    *,
    expected: int | None,
) -> Resource:
    """Replace a patient's details or change an appointment (``expected``: the If-Match version)."""
    if resource_type == "Patient":
        patient = parse_resource(body, "Patient", resource_id=resource_id)
        return await _update_patient(context, resource_id, patient, expected)
    if resource_type == "Appointment":
        appointment = parse_resource(body, "Appointment", resource_id=resource_id)
        return await _update_appointment(context, resource_id, appointment, expected)
    raise NotSupported(f"{resource_type} cannot be updated here.")


async def patch(
    context: RequestContext,
    resource_type: str,
    resource_id: str,
    body: Any,
    *,
    expected: int | None,
) -> Resource:
    """A JSON Patch (an array) or a JSON Merge Patch (an object) applied as an update; without
    If-Match, the version read is the one the update must still find (no lost update)."""
    if resource_type not in WRITABLE:
        raise NotSupported(f"{resource_type} cannot be patched here.")
    current = await read(context, resource_type, resource_id)
    document = current.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(body, list):
        patched = apply_patch(document, body)
    elif isinstance(body, dict):
        patched = merge_patch(document, body)
    else:
        raise FhirError("A patch is a JSON Patch array or a JSON Merge Patch object.")
    if patched.get("id") != resource_id or patched.get("resourceType") != resource_type:
        raise FhirError("A patch may not change the resource's type or id.")
    assert current.meta is not None
    assert current.meta.versionId is not None
    version = expected if expected is not None else int(current.meta.versionId)
    return await update(context, resource_type, resource_id, patched, expected=version)
