"""Patients, doctors and medical staff: create, read, update, archive, list and search.

Reads of patients go through the access policy and are recorded in the audit trail; every change
writes a ``<kind>.created|updated|archived`` event to the ``clinical.events`` topic.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, false, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from subgraphs.clinical.access.audit import AccessedRecord, record_access
from subgraphs.clinical.access.gate import authorize_and_record
from subgraphs.clinical.access.policy import (
    AccessPurpose,
    authorize_patients_access,
    decisions_by_patient,
    visible_patients,
)
from subgraphs.clinical.access.principal import Principal, resolve_principal
from subgraphs.clinical.appointments.models import ACTIVE_STATUSES, Appointment
from subgraphs.clinical.constraints import UNIQUE_VIOLATION, violation
from subgraphs.clinical.pagination import Keyset, Page, paginate
from subgraphs.clinical.people.models import (
    Doctor,
    MedicalStaff,
    Patient,
    PersonColumns,
    Sex,
    StaffRole,
)
from subgraphs.clinical.people.mrn import is_mrn, next_mrn
from subgraphs.clinical.validation import (
    FieldSpec,
    camel,
    choice,
    clean_fields,
    country_code,
    email_address,
    past_date,
    person_name,
    phone_number,
    plain_text,
    stated_reason,
    user_id,
)
from subgraphs.common.context import Caller, Role
from subgraphs.common.errors import BadUserInput, Conflict, DomainError, Forbidden, NotFound
from subgraphs.common.outbox import record_event

__all__ = [
    "CLINICAL_EVENTS_TOPIC",
    "CONTACT_FIELDS",
    "DOCTORS",
    "PATIENTS",
    "REGISTRATION_STAFF_ROLES",
    "STAFF",
    "PersonKind",
    "active_person",
    "archive_person",
    "create_person",
    "get_doctors",
    "get_patient",
    "get_staff_members",
    "list_doctors",
    "list_patients",
    "list_staff_members",
    "people_for_users",
    "read_patients",
    "update_my_contact_details",
    "update_person",
]

CLINICAL_EVENTS_TOPIC = "clinical.events"

# Staff who register patients and keep their details current.
REGISTRATION_STAFF_ROLES: frozenset[StaffRole] = frozenset(
    {StaffRole.RECEPTIONIST, StaffRole.NURSE, StaffRole.MEDICAL_RECORDS_CLERK}
)

P = TypeVar("P", bound=PersonColumns)

_PERSON_SPECS: dict[str, FieldSpec] = {
    "given_name": FieldSpec(person_name(), required=True),
    "family_name": FieldSpec(person_name(), required=True),
    "email": FieldSpec(email_address),
    "phone": FieldSpec(phone_number),
    "user_id": FieldSpec(user_id),
}


@dataclass(frozen=True, slots=True)
class PersonKind(Generic[P]):
    """One kind of person: its table, its name in events, and how its fields are cleaned."""

    model: type[P]
    name: str
    label: str
    specs: Mapping[str, FieldSpec]


PATIENTS = PersonKind(
    Patient,
    "patient",
    "patient",
    {
        **_PERSON_SPECS,
        "date_of_birth": FieldSpec(past_date, required=True),
        "sex": FieldSpec(choice(Sex), required=True),
        "address_line1": FieldSpec(plain_text(200)),
        "address_line2": FieldSpec(plain_text(200)),
        "city": FieldSpec(plain_text(100)),
        "region": FieldSpec(plain_text(100)),
        "postal_code": FieldSpec(plain_text(20)),
        "country": FieldSpec(country_code),
        "emergency_contact_name": FieldSpec(person_name(200)),
        "emergency_contact_relationship": FieldSpec(plain_text(50)),
        "emergency_contact_phone": FieldSpec(phone_number),
        "insurance_payer": FieldSpec(plain_text(200)),
        "insurance_member_id": FieldSpec(plain_text(64)),
    },
)
DOCTORS = PersonKind(
    Doctor,
    "doctor",
    "doctor",
    {
        **_PERSON_SPECS,
        "specialty": FieldSpec(plain_text(100), required=True),
        "licence_number": FieldSpec(
            lambda value: _licence_number(plain_text(32)(value)), required=True
        ),
    },
)
STAFF = PersonKind(
    MedicalStaff,
    "staff",
    "staff member",
    {
        **_PERSON_SPECS,
        "staff_role": FieldSpec(choice(StaffRole), required=True),
        "department": FieldSpec(plain_text(100), required=True),
    },
)


def _licence_number(value: str | None) -> str | None:
    if value is None:
        return None
    normalised = value.upper()
    if not (len(normalised) >= 3 and normalised[0].isalnum()) or not all(
        ch.isascii() and (ch.isalnum() or ch in "-/") for ch in normalised
    ):
        raise ValueError("must be 3-32 letters, digits, hyphens or slashes")
    return normalised


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


# ------------------------------------------------------------------ who may manage people


async def _require_manager(session: AsyncSession, caller: Caller, kind: PersonKind[Any]) -> None:
    """Patients are registered by ADMIN or registration staff; doctors and staff by ADMIN."""
    role = caller.require_role(Role.ADMIN, Role.STAFF)
    if role is Role.ADMIN:
        return
    if kind is PATIENTS:
        principal = await resolve_principal(session, caller)
        if principal.staff_role in REGISTRATION_STAFF_ROLES:
            return
    raise Forbidden(f"Your role may not manage {kind.label} records.")


# ------------------------------------------------------------------ writes


def _unique_conflict(kind: PersonKind[Any], error: IntegrityError) -> DomainError:
    found = violation(error)
    if found.sqlstate != UNIQUE_VIOLATION:
        raise error
    constraint = found.constraint or ""
    if constraint.endswith("user_id_key"):
        return Conflict(
            f"That user account is already linked to another {kind.label}.",
            extensions={"field": "userId"},
        )
    if constraint.endswith("licence_number_key"):
        return Conflict(
            "Another doctor already has that licence number.",
            extensions={"field": "licenceNumber"},
        )
    raise error


async def _flush(session: AsyncSession, kind: PersonKind[Any], row: PersonColumns) -> None:
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError as error:
        raise _unique_conflict(kind, error) from None


async def _event(
    session: AsyncSession,
    kind: PersonKind[Any],
    action: str,
    row: PersonColumns,
    actor: str,
    payload: dict[str, Any],
) -> None:
    await record_event(
        session,
        topic=CLINICAL_EVENTS_TOPIC,
        type=f"{kind.name}.{action}",
        aggregate_type=kind.name,
        aggregate_id=str(row.id),
        actor=actor,
        payload={f"{kind.name}Id": str(row.id), "version": row.version, **payload},
    )


def _registration(patient: Patient) -> dict[str, Any]:
    """What ``patient.created`` tells about a registration: billing opens the patient's account
    from it when the gRPC call at registration could not (``subgraphs.clinical.people.billing``)."""
    return {
        "mrn": patient.mrn,
        "userId": str(patient.user_id) if patient.user_id else None,
        "insurer": patient.insurance_payer,
        "policyNumber": patient.insurance_member_id,
    }


async def create_person(
    session: AsyncSession,
    kind: PersonKind[P],
    *,
    caller: Caller,
    values: Mapping[str, Any],
    now: datetime | None = None,
) -> P:
    """Create a patient, doctor or staff member from ``values`` (snake_case fields)."""
    await _require_manager(session, caller, kind)
    cleaned = clean_fields(kind.specs, values, creating=True)
    when = _now(now)
    actor = caller.actor
    row = kind.model(
        **cleaned, created_at=when, created_by=actor, updated_at=when, updated_by=actor
    )
    payload: dict[str, Any] = {}
    if isinstance(row, Patient):
        row.mrn = await next_mrn(session)
        payload |= _registration(row)
    await _flush(session, kind, row)
    await _event(session, kind, "created", row, actor, payload)
    return row


async def _locked(session: AsyncSession, kind: PersonKind[P], person_id: uuid.UUID) -> P:
    row = (
        await session.exec(
            select(kind.model).where(col(kind.model.id) == person_id).with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound(f"No such {kind.label}.")
    return row


async def update_person(
    session: AsyncSession,
    kind: PersonKind[P],
    *,
    caller: Caller,
    person_id: uuid.UUID,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    now: datetime | None = None,
) -> P:
    """Apply ``changes`` (only the fields given; ``None`` clears an optional field).

    ``expected_version`` guards against lost updates: CONFLICT when the row has moved on.
    """
    await _require_manager(session, caller, kind)
    cleaned = clean_fields(kind.specs, changes, creating=False)
    row, _ = await _apply_changes(
        session,
        kind,
        caller=caller,
        person_id=person_id,
        cleaned=cleaned,
        expected_version=expected_version,
        now=now,
    )
    return row


async def _apply_changes(
    session: AsyncSession,
    kind: PersonKind[P],
    *,
    caller: Caller,
    person_id: uuid.UUID,
    cleaned: Mapping[str, Any],
    expected_version: int | None,
    now: datetime | None,
) -> tuple[P, list[str]]:
    """Write cleaned changes to the locked row with a ``<kind>.updated`` event; the row and the
    names of the fields that changed."""
    row = await _locked(session, kind, person_id)
    if row.archived_at is not None:
        raise BadUserInput(f"This {kind.label} is archived and cannot be changed.")
    if expected_version is not None and expected_version != row.version:
        raise Conflict(
            f"This {kind.label} was changed by someone else (version {row.version}).",
            extensions={"currentVersion": row.version},
        )
    changed = [name for name, value in cleaned.items() if getattr(row, name) != value]
    if not changed:
        return row, changed
    for name in changed:
        setattr(row, name, cleaned[name])
    row.version += 1
    row.updated_at = _now(now)
    row.updated_by = caller.actor
    await _flush(session, kind, row)
    await _event(
        session, kind, "updated", row, caller.actor, {"fields": [camel(n) for n in changed]}
    )
    return row, changed


# The contact details a patient may correct themselves; the rest of the record is the desk's.
CONTACT_FIELDS: frozenset[str] = frozenset(
    {
        "email",
        "phone",
        "address_line1",
        "address_line2",
        "city",
        "region",
        "postal_code",
        "country",
    }
)


async def update_my_contact_details(
    session: AsyncSession,
    *,
    caller: Caller,
    changes: Mapping[str, Any],
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Patient:
    """A PATIENT corrects their own email, phone or address (only the fields given change).

    Only the caller's own, unarchived patient record is reachable (there is no id to aim at
    another); any other field is BAD_USER_INPUT. The write is audited (``access.write`` on
    ``audit.access``, purpose ``patient.write``) and evented (``patient.updated`` naming the
    fields) in the same transaction.
    """
    caller.require_role(Role.PATIENT)
    others = sorted(camel(name) for name in set(changes) - CONTACT_FIELDS)
    if others:
        raise BadUserInput(
            "Only your contact details (email, phone, address) can be changed here.",
            extensions={"fields": dict.fromkeys(others, "cannot be changed by a patient")},
        )
    cleaned = clean_fields(PATIENTS.specs, changes, creating=False)
    principal = await resolve_principal(session, caller)
    if principal.patient_id is None:
        raise NotFound("Your account has no patient record.")
    await authorize_and_record(
        session, caller, principal.patient_id, purpose="patient.write", record_type="patient"
    )
    row, _ = await _apply_changes(
        session,
        PATIENTS,
        caller=caller,
        person_id=principal.patient_id,
        cleaned=cleaned,
        expected_version=expected_version,
        now=now,
    )
    return row


async def archive_person(
    session: AsyncSession,
    kind: PersonKind[P],
    *,
    caller: Caller,
    person_id: uuid.UUID,
    reason: str | None = None,
    now: datetime | None = None,
) -> P:
    """Archive (soft-delete) a person: hidden from lists, kept for history; ADMIN only.

    A patient or doctor with upcoming active appointments cannot be archived (CONFLICT naming
    them): cancel or move those first.
    """
    caller.require_role(Role.ADMIN)
    cleaned_reason = clean_fields(
        {"reason": FieldSpec(plain_text(500))}, {"reason": reason}, creating=False
    )
    row = await _locked(session, kind, person_id)
    if row.archived_at is not None:
        return row
    when = _now(now)
    if kind is not STAFF:
        column = Appointment.patient_id if kind is PATIENTS else Appointment.doctor_id
        upcoming = (
            await session.exec(
                select(Appointment)
                .where(
                    col(column) == person_id,
                    col(Appointment.status).in_([s.value for s in ACTIVE_STATUSES]),
                    Appointment.ends_at > when,
                )
                .order_by(col(Appointment.starts_at))
            )
        ).all()
        if upcoming:
            times = [a.starts_at.isoformat() for a in upcoming]
            raise Conflict(
                f"This {kind.label} has {len(upcoming)} upcoming appointment(s): {', '.join(times)}.",
                extensions={"appointments": [str(a.id) for a in upcoming], "times": times},
            )
    row.archived_at = when
    row.archived_by = caller.actor
    row.archive_reason = cleaned_reason.get("reason")
    row.version += 1
    row.updated_at = when
    row.updated_by = caller.actor
    session.add(row)
    await session.flush()
    await _event(session, kind, "archived", row, caller.actor, {"reason": row.archive_reason})
    return row


# ------------------------------------------------------------------ reads


async def active_person(session: AsyncSession, kind: PersonKind[P], person_id: uuid.UUID) -> P:
    """The person, unarchived: NOT_FOUND when unknown, BAD_USER_INPUT when archived."""
    row = await session.get(kind.model, person_id)
    if row is None:
        raise NotFound(f"No such {kind.label}.")
    if row.archived_at is not None:
        raise BadUserInput(
            f"This {kind.label} is archived.", extensions={"field": f"{kind.name}Id"}
        )
    return row


def _name_search(model: type[PersonColumns], search: str) -> Any:
    """Every word of ``search`` appears in the given or family name (case-insensitive)."""
    conditions = []
    for word in search.split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            or_(col(model.given_name).ilike(pattern), col(model.family_name).ilike(pattern))
        )
    return and_(*conditions) if conditions else false()


def _search(kind: PersonKind[Any], search: str | None) -> Any | None:
    if search is None or not search.strip():
        return None
    text = search.strip()
    if len(text) > 100:
        raise BadUserInput("search must be at most 100 characters.", extensions={"field": "search"})
    names = _name_search(kind.model, text)
    if kind is PATIENTS and is_mrn(text):
        return or_(col(Patient.mrn) == text, names)
    return names


def _name_keyset(model: type[P]) -> Keyset[P]:
    return Keyset(
        columns=(model.family_name, model.given_name, model.id),
        parsers=(str, str, uuid.UUID),
        key=lambda row: (row.family_name, row.given_name, row.id),
    )


async def _list(
    session: AsyncSession,
    kind: PersonKind[P],
    statement: SelectOfScalar[P],
    *,
    search: str | None,
    include_archived: bool,
    first: int | None,
    after: str | None,
) -> Page[P]:
    condition = _search(kind, search)
    if condition is not None:
        statement = statement.where(condition)
    if not include_archived:
        statement = statement.where(col(kind.model.archived_at).is_(None))
    return await paginate(session, statement, _name_keyset(kind.model), first=first, after=after)


async def read_patients(
    session: AsyncSession,
    *,
    caller: Caller,
    patient_ids: Sequence[uuid.UUID],
    reason: str | None = None,
) -> dict[uuid.UUID, Patient | DomainError]:
    """Patients by id for a batch (entity lookups, nested fields), each checked and audited."""
    reason = stated_reason(reason)
    outcomes = await authorize_patients_access(
        session,
        caller,
        patient_ids,
        purpose=AccessPurpose.DEMOGRAPHICS,
        reason=reason,
        target={"type": "patient"},
    )
    decisions = decisions_by_patient(outcomes)
    rows: dict[uuid.UUID, Patient] = {}
    if decisions:
        found = await session.exec(select(Patient).where(col(Patient.id).in_(list(decisions))))
        rows = {row.id: row for row in found.all()}
    await record_access(
        session,
        caller,
        decisions.values(),
        records=[AccessedRecord("patient", str(pid), pid) for pid in rows],
    )
    results: dict[uuid.UUID, Patient | DomainError] = {}
    for patient_id, outcome in outcomes.items():
        row = rows.get(patient_id)
        results[patient_id] = (
            row
            if row is not None
            else (outcome if isinstance(outcome, DomainError) else NotFound("No such patient."))
        )
    return results


async def get_patient(
    session: AsyncSession, *, caller: Caller, patient_id: uuid.UUID, reason: str | None = None
) -> Patient:
    """One patient, if the caller may see them (audited)."""
    outcome = (
        await read_patients(session, caller=caller, patient_ids=[patient_id], reason=reason)
    )[patient_id]
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


async def list_patients(
    session: AsyncSession,
    *,
    caller: Caller,
    first: int | None = None,
    after: str | None = None,
    search: str | None = None,
    include_archived: bool = False,
    sex: Sex | None = None,
    born_on: date | None = None,
    reason: str | None = None,
) -> Page[Patient]:
    """The patients the caller may see, by family then given name; search by name words or MRN,
    filter by sex and date of birth."""
    reason = stated_reason(reason)
    principal = await resolve_principal(session, caller)
    statement = select(Patient).where(
        visible_patients(principal, Patient.id, purpose=AccessPurpose.DEMOGRAPHICS)
    )
    if sex is not None:
        statement = statement.where(Patient.sex == sex.value)
    if born_on is not None:
        statement = statement.where(Patient.date_of_birth == born_on)
    page = await _list(
        session,
        PATIENTS,
        statement,
        search=search,
        include_archived=include_archived,
        first=first,
        after=after,
    )
    await _audit_listed(session, caller, principal, page.items, reason)
    return page


async def _audit_listed(
    session: AsyncSession,
    caller: Caller,
    principal: Principal,
    patients: Iterable[Patient],
    reason: str | None,
) -> None:
    ids = [patient.id for patient in patients]
    if not ids:
        return
    outcomes = await authorize_patients_access(
        session, principal.caller, ids, purpose=AccessPurpose.DEMOGRAPHICS, reason=reason
    )
    decisions = decisions_by_patient(outcomes)
    await record_access(
        session,
        caller,
        decisions.values(),
        records=[AccessedRecord("patient", str(pid), pid) for pid in decisions],
    )


async def get_doctors(
    session: AsyncSession, *, caller: Caller, doctor_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Doctor | DomainError]:
    """Doctors by id (the directory is visible to every signed-in user)."""
    caller.require_authenticated()
    return await _by_ids(session, DOCTORS, doctor_ids)


async def get_staff_members(
    session: AsyncSession, *, caller: Caller, staff_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, MedicalStaff | DomainError]:
    """Staff members by id (visible to the hospital's own people, not to patients)."""
    caller.require_role(Role.ADMIN, Role.DOCTOR, Role.STAFF)
    return await _by_ids(session, STAFF, staff_ids)


async def _by_ids(
    session: AsyncSession, kind: PersonKind[P], ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, P | DomainError]:
    found = await session.exec(select(kind.model).where(col(kind.model.id).in_(list(ids))))
    rows: dict[uuid.UUID, P] = {row.id: row for row in found.all()}
    return {i: rows.get(i) or NotFound(f"No such {kind.label}.") for i in ids}


async def list_doctors(
    session: AsyncSession,
    *,
    caller: Caller,
    first: int | None = None,
    after: str | None = None,
    search: str | None = None,
    specialty: str | None = None,
    include_archived: bool = False,
) -> Page[Doctor]:
    """The doctor directory, by name; filter by specialty (case-insensitive)."""
    caller.require_authenticated()
    statement = select(Doctor)
    if specialty:
        statement = statement.where(col(Doctor.specialty).ilike(specialty.strip()))
    return await _list(
        session,
        DOCTORS,
        statement,
        search=search,
        include_archived=include_archived,
        first=first,
        after=after,
    )


async def list_staff_members(
    session: AsyncSession,
    *,
    caller: Caller,
    first: int | None = None,
    after: str | None = None,
    search: str | None = None,
    staff_role: StaffRole | None = None,
    department: str | None = None,
    include_archived: bool = False,
) -> Page[MedicalStaff]:
    """The staff directory, by name; filter by role and department."""
    caller.require_role(Role.ADMIN, Role.DOCTOR, Role.STAFF)
    statement = select(MedicalStaff)
    if staff_role is not None:
        statement = statement.where(MedicalStaff.staff_role == staff_role.value)
    if department:
        statement = statement.where(col(MedicalStaff.department).ilike(department.strip()))
    return await _list(
        session,
        STAFF,
        statement,
        search=search,
        include_archived=include_archived,
        first=first,
        after=after,
    )


async def people_for_users(
    session: AsyncSession, kind: PersonKind[P], user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """auth ``User`` id -> the id of the person of ``kind`` linked to it (unarchived or not)."""
    found = await session.exec(
        select(kind.model.id, kind.model.user_id).where(col(kind.model.user_id).in_(list(user_ids)))
    )
    return {user: person for person, user in found.all() if user is not None}
