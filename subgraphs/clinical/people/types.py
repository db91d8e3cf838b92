"""GraphQL types of people: the Patient, Doctor and MedicalStaff entities, their inputs, and auth's User extended with the person linked to each account."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.types.unset import UNSET

from subgraphs.clinical.access.scopes import (
    APPOINTMENT_POLICY,
    PATIENT_POLICY,
    PRESCRIPTION_POLICY,
    READ_APPOINTMENTS,
    READ_PATIENTS,
    READ_PRESCRIPTIONS,
    READ_RECORDS,
    RECORD_POLICY,
)
from subgraphs.clinical.connection import Connection
from subgraphs.clinical.people import service
from subgraphs.clinical.people.models import Doctor, MedicalStaff, Patient, Sex, StaffRole
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.errors import DomainError
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id
from subgraphs.common.loaders import load_batched

__all__ = [
    "PATIENT_POLICY",
    "AddressInput",
    "ContactDetailsInput",
    "DoctorInput",
    "DoctorType",
    "DoctorUpdateInput",
    "EmergencyContactInput",
    "InsuranceInput",
    "PatientInput",
    "PatientType",
    "PatientUpdateInput",
    "StaffMemberInput",
    "StaffMemberType",
    "StaffMemberUpdateInput",
    "UserType",
    "input_values",
    "load_doctor",
    "load_patient",
    "load_staff_member",
]

if TYPE_CHECKING:
    from subgraphs.clinical.appointments.models import AppointmentStatus
    from subgraphs.clinical.appointments.types import AppointmentType
    from subgraphs.clinical.availability.types import SlotType
    from subgraphs.clinical.prescriptions.types import Prescription
    from subgraphs.clinical.records.types import MedicalRecord

Info = strawberry.Info[RequestContext, None]

# Patients and doctors lead to their appointments, records, prescriptions and free slots, whose
# types lead back to them: the domains above people are named lazily (strawberry.lazy) and
# their loaders imported inside the resolvers, when first walked to. Those four upward imports
# are listed as known exceptions in pyproject's layer contracts.
_APPOINTMENTS = "subgraphs.clinical.appointments.types"
_AVAILABILITY = "subgraphs.clinical.availability.types"
_PRESCRIPTIONS = "subgraphs.clinical.prescriptions.types"
_RECORDS = "subgraphs.clinical.records.types"
_FROM = strawberry.argument(name="from", description="Only those ending after this instant.")
_TO = strawberry.argument(description="Only those starting before this instant.")


async def _appointments(
    info: Info,
    owner: str,
    owner_id: strawberry.ID,
    first: int | None,
    after: str | None,
    start: datetime | None,
    end: datetime | None,
    statuses: list[AppointmentStatus] | None,
) -> Connection[AppointmentType]:
    """The appointments of the patient or doctor (``owner``) ``owner_id``, batched."""
    from subgraphs.clinical.appointments.service import AppointmentOwner
    from subgraphs.clinical.appointments.types import appointments_of

    connection: Connection[AppointmentType] = await appointments_of(
        info,
        AppointmentOwner[owner],
        parse_id(owner_id),
        first=first,
        after=after,
        start=start,
        end=end,
        statuses=statuses,
    )
    return connection


strawberry.enum(Sex, name="Sex", description="Administrative sex (FHIR AdministrativeGender).")
strawberry.enum(StaffRole, name="StaffRole")


@strawberry.type
class Address:
    line1: str | None
    line2: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country: str | None


@strawberry.type
class EmergencyContact:
    name: str | None
    relationship: str | None
    phone: str | None


@strawberry.type
class Insurance:
    payer: str | None
    member_id: str | None


def _user(user_id: uuid.UUID | None) -> UserType | None:
    return UserType(id=strawberry.ID(str(user_id))) if user_id else None


@strawberry.federation.type(
    name="Patient",
    keys=["id"],
    authenticated=True,
    requires_scopes=READ_PATIENTS.directive,
    policy=[[PATIENT_POLICY]],
    description="A patient. Visible to themselves, their care team, staff and administrators.",
)
class PatientType:
    id: strawberry.ID
    mrn: str = strawberry.field(description="Medical record number (digits, Luhn check digit).")
    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex
    email: str | None
    phone: str | None
    address: Address | None
    emergency_contact: EmergencyContact | None
    insurance: Insurance | None
    user: UserType | None = strawberry.field(description="The linked auth account, if any.")
    version: int
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None

    @guarded(
        READ_APPOINTMENTS,
        policy=APPOINTMENT_POLICY,
        description="The patient's appointments the caller may see, by start time (audited read).",
    )
    async def appointments(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: list[Annotated[AppointmentStatus, strawberry.lazy(_APPOINTMENTS)]] | None = None,
        from_: Annotated[datetime | None, _FROM] = None,
        to: Annotated[datetime | None, _TO] = None,
    ) -> Connection[Annotated[AppointmentType, strawberry.lazy(_APPOINTMENTS)]] | None:
        return await _appointments(info, "PATIENT", self.id, first, after, from_, to, status)

    @guarded(
        READ_RECORDS,
        policy=RECORD_POLICY,
        description="The patient's medical records, newest encounter first (audited read).",
    )
    async def medical_records(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[MedicalRecord, strawberry.lazy(_RECORDS)]] | None:
        from subgraphs.clinical.records.types import records_of

        connection: Connection[MedicalRecord] = await records_of(
            info, parse_id(self.id), first=first, after=after
        )
        return connection

    @guarded(
        READ_PRESCRIPTIONS,
        policy=PRESCRIPTION_POLICY,
        description="The patient's prescriptions, newest first (audited read).",
    )
    async def prescriptions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Prescription, strawberry.lazy(_PRESCRIPTIONS)]] | None:
        from subgraphs.clinical.prescriptions.types import prescriptions_of

        connection: Connection[Prescription] = await prescriptions_of(
            info, parse_id(self.id), first=first, after=after
        )
        return connection

    @classmethod
    def of(cls, row: Patient) -> PatientType:
        has_address = any(
            (
                row.address_line1,
                row.address_line2,
                row.city,
                row.region,
                row.postal_code,
                row.country,
            )
        )
        has_contact = any(
            (
                row.emergency_contact_name,
                row.emergency_contact_relationship,
                row.emergency_contact_phone,
            )
        )
        return cls(
            id=strawberry.ID(str(row.id)),
            mrn=row.mrn,
            given_name=row.given_name,
            family_name=row.family_name,
            date_of_birth=row.date_of_birth,
            sex=Sex(row.sex),
            email=row.email,
            phone=row.phone,
            address=Address(
                line1=row.address_line1,
                line2=row.address_line2,
                city=row.city,
                region=row.region,
                postal_code=row.postal_code,
                country=row.country,
            )
            if has_address
            else None,
            emergency_contact=EmergencyContact(
                name=row.emergency_contact_name,
                relationship=row.emergency_contact_relationship,
                phone=row.emergency_contact_phone,
            )
            if has_contact
            else None,
            insurance=Insurance(payer=row.insurance_payer, member_id=row.insurance_member_id)
            if row.insurance_payer or row.insurance_member_id
            else None,
            user=_user(row.user_id),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            archived_at=row.archived_at,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> PatientType:  # noqa: A002 (federation passes the key field by name)
        return cls.of(await load_patient(info, parse_id(id)))


@strawberry.federation.type(
    name="Doctor", keys=["id"], authenticated=True, description="A doctor (directory entry)."
)
class DoctorType:
    id: strawberry.ID
    given_name: str
    family_name: str
    specialty: str
    licence_number: str
    email: str | None
    phone: str | None
    user: UserType | None
    version: int
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None

    @guarded(
        READ_APPOINTMENTS,
        policy=APPOINTMENT_POLICY,
        description="The doctor's appointments the caller may see, by start time (audited read).",
    )
    async def appointments(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        from_: Annotated[datetime | None, _FROM] = None,
        to: Annotated[datetime | None, _TO] = None,
    ) -> Connection[Annotated[AppointmentType, strawberry.lazy(_APPOINTMENTS)]] | None:
        return await _appointments(info, "DOCTOR", self.id, first, after, from_, to, None)

    @guarded(
        READ_APPOINTMENTS,
        description="Free slots of the doctor's default length: working hours minus bookings.",
    )
    async def availability(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> list[Annotated[SlotType, strawberry.lazy(_AVAILABILITY)]] | None:
        from subgraphs.clinical.availability.types import slots_of

        slots: list[SlotType] = await slots_of(info, parse_id(self.id), start=from_, end=to)
        return slots

    @classmethod
    def of(cls, row: Doctor) -> DoctorType:
        return cls(
            id=strawberry.ID(str(row.id)),
            given_name=row.given_name,
            family_name=row.family_name,
            specialty=row.specialty,
            licence_number=row.licence_number,
            email=row.email,
            phone=row.phone,
            user=_user(row.user_id),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            archived_at=row.archived_at,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> DoctorType:  # noqa: A002 (federation passes the key field by name)
        return cls.of(await load_doctor(info, parse_id(id)))


@strawberry.federation.type(
    name="MedicalStaff",
    keys=["id"],
    authenticated=True,
    description="A member of the medical staff (nurse, receptionist, lab technician, ...).",
)
class StaffMemberType:
    id: strawberry.ID
    given_name: str
    family_name: str
    staff_role: StaffRole
    department: str
    email: str | None
    phone: str | None
    user: UserType | None
    version: int
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None

    @classmethod
    def of(cls, row: MedicalStaff) -> StaffMemberType:
        return cls(
            id=strawberry.ID(str(row.id)),
            given_name=row.given_name,
            family_name=row.family_name,
            staff_role=StaffRole(row.staff_role),
            department=row.department,
            email=row.email,
            phone=row.phone,
            user=_user(row.user_id),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            archived_at=row.archived_at,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> StaffMemberType:  # noqa: A002 (federation passes the key field by name)
        return cls.of(await load_staff_member(info, parse_id(id)))


# ------------------------------------------------------------------ loaders


async def load_patient(info: Info, patient_id: uuid.UUID) -> Patient:
    """A patient, access-checked and audited, batched with the request's other patients."""

    async def fetch(
        session: AsyncSession, caller: Caller, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, Patient | DomainError]:
        return await service.read_patients(session, caller=caller, patient_ids=ids)

    return await load_batched(info.context, "patients", fetch, patient_id, scopes=READ_PATIENTS)


async def load_doctor(info: Info, doctor_id: uuid.UUID) -> Doctor:
    async def fetch(
        session: AsyncSession, caller: Caller, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, Doctor | DomainError]:
        return await service.get_doctors(session, caller=caller, doctor_ids=ids)

    return await load_batched(info.context, "doctors", fetch, doctor_id)


async def load_staff_member(info: Info, staff_id: uuid.UUID) -> MedicalStaff:
    async def fetch(
        session: AsyncSession, caller: Caller, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, MedicalStaff | DomainError]:
        return await service.get_staff_members(session, caller=caller, staff_ids=ids)

    return await load_batched(info.context, "staff", fetch, staff_id)


# ------------------------------------------------------------------ inputs


@strawberry.input
class AddressInput:
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2 code.")


@strawberry.input
class EmergencyContactInput:
    name: str | None = None
    relationship: str | None = None
    phone: str | None = strawberry.field(default=None, description="International (E.164) number.")


@strawberry.input
class InsuranceInput:
    payer: str | None = None
    member_id: str | None = None


@strawberry.input(description="Contact and account fields every person has (all optional).")
class _ContactFields:
    email: str | None = UNSET
    phone: str | None = strawberry.field(default=UNSET, description="International (E.164) number.")
    user_id: strawberry.ID | None = strawberry.field(
        default=UNSET, description="The auth User this person signs in as."
    )


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class _PersonUpdateFields(_ContactFields):
    given_name: str | None = UNSET
    family_name: str | None = UNSET


@strawberry.input
class _PatientDetails:
    address: AddressInput | None = UNSET
    emergency_contact: EmergencyContactInput | None = UNSET
    insurance: InsuranceInput | None = UNSET


@strawberry.input(
    description="The contact details a patient may correct: only the fields given change; "
    "null clears one (an address given replaces the whole address)."
)
class ContactDetailsInput:
    email: str | None = UNSET
    phone: str | None = strawberry.field(default=UNSET, description="International (E.164) number.")
    address: AddressInput | None = UNSET


@strawberry.input
class PatientInput(_PatientDetails, _ContactFields):
    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class PatientUpdateInput(_PatientDetails, _PersonUpdateFields):
    date_of_birth: date | None = UNSET
    sex: Sex | None = UNSET


@strawberry.input
class DoctorInput(_ContactFields):
    given_name: str
    family_name: str
    specialty: str
    licence_number: str


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class DoctorUpdateInput(_PersonUpdateFields):
    specialty: str | None = UNSET
    licence_number: str | None = UNSET


@strawberry.input
class StaffMemberInput(_ContactFields):
    given_name: str
    family_name: str
    staff_role: StaffRole
    department: str


@strawberry.input(description="Only the fields given change; null clears an optional field.")
class StaffMemberUpdateInput(_PersonUpdateFields):
    staff_role: StaffRole | None = UNSET
    department: str | None = UNSET


# Nested input groups flatten into the table's columns: group -> {input field: column}.
_NESTED: dict[str, dict[str, str]] = {
    "address": {
        "line1": "address_line1",
        "line2": "address_line2",
        "city": "city",
        "region": "region",
        "postal_code": "postal_code",
        "country": "country",
    },
    "emergency_contact": {
        "name": "emergency_contact_name",
        "relationship": "emergency_contact_relationship",
        "phone": "emergency_contact_phone",
    },
    "insurance": {"payer": "insurance_payer", "member_id": "insurance_member_id"},
}


def input_values(data: object) -> dict[str, Any]:
    """A Strawberry input as service values: omitted fields left out, nested groups flattened.

    A nested group given as ``null`` clears every field of the group.
    """
    values: dict[str, Any] = {}
    for name, value in vars(data).items():
        if value is UNSET:
            continue
        if name in _NESTED:
            for field, column in _NESTED[name].items():
                values[column] = None if value is None else getattr(value, field)
        else:
            values[name] = value
    return values


# ``User`` (owned by auth) gains ``patient``, ``doctor`` and ``staffMember`` here (federation v2).


async def _linked(
    info: Info, kind: service.PersonKind[Any], user_id: uuid.UUID
) -> uuid.UUID | None:
    async def fetch(
        session: AsyncSession, _: Caller, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, uuid.UUID | None]:
        found = await service.people_for_users(session, kind, ids)
        return {user: found.get(user) for user in ids}

    return await load_batched(info.context, f"user-links.{kind.name}", fetch, user_id)


@strawberry.federation.type(name="User", keys=["id"], description="An account of the auth service.")
class UserType:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> UserType:  # noqa: A002 (federation passes the key field by name)
        return cls(id=id)

    @guarded(READ_PATIENTS, policy=PATIENT_POLICY, description="The patient this account is.")
    async def patient(self, info: Info) -> PatientType | None:
        patient_id = await _linked(info, service.PATIENTS, parse_id(self.id))
        return PatientType.of(await load_patient(info, patient_id)) if patient_id else None

    @guarded(description="The doctor this account is.")
    async def doctor(self, info: Info) -> DoctorType | None:
        doctor_id = await _linked(info, service.DOCTORS, parse_id(self.id))
        return DoctorType.of(await load_doctor(info, doctor_id)) if doctor_id else None

    @guarded(description="The staff member this account is.")
    async def staff_member(self, info: Info) -> StaffMemberType | None:
        staff_id = await _linked(info, service.STAFF, parse_id(self.id))
        return StaffMemberType.of(await load_staff_member(info, staff_id)) if staff_id else None
