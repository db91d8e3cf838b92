"""Queries and mutations of people: thin resolvers over :mod:`subgraphs.clinical.people.service`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import strawberry

from subgraphs.clinical.access.scopes import (
    READ_PATIENTS,
    WRITE_OWN_CONTACT_DETAILS,
    WRITE_PATIENTS,
    WRITE_STAFF,
)
from subgraphs.clinical.connection import Connection
from subgraphs.clinical.people import service
from subgraphs.clinical.people.billing import open_billing_account
from subgraphs.clinical.people.models import PersonColumns, Sex, StaffRole
from subgraphs.clinical.people.types import (
    PATIENT_POLICY,
    ContactDetailsInput,
    DoctorInput,
    DoctorType,
    DoctorUpdateInput,
    Info,
    PatientInput,
    PatientType,
    PatientUpdateInput,
    StaffMemberInput,
    StaffMemberType,
    StaffMemberUpdateInput,
    input_values,
    load_doctor,
    load_patient,
    load_staff_member,
)
from subgraphs.common.audit import serve
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["PeopleMutation", "PeopleQuery"]


@strawberry.type
class PeopleQuery:
    @guarded(
        READ_PATIENTS,
        policy=PATIENT_POLICY,
        description="One patient (audited read; reason: why you look, recorded in the audit trail).",
    )
    async def patient(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument name)
        reason: str | None = None,
    ) -> PatientType | None:
        if reason is None:
            return PatientType.of(await load_patient(info, parse_id(id)))
        row = await serve(info.context, service.get_patient, patient_id=parse_id(id), reason=reason)
        return PatientType.of(row)

    @guarded(
        READ_PATIENTS,
        policy=PATIENT_POLICY,
        description="Patients the caller may see; search by name words or by MRN (audited read).",
    )
    async def patients(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
        sex: Sex | None = None,
        include_archived: bool = False,
        reason: str | None = None,
    ) -> Connection[PatientType] | None:
        page = await serve(
            info.context,
            service.list_patients,
            first=first,
            after=after,
            search=search,
            sex=sex,
            include_archived=include_archived,
            reason=reason,
        )
        return Connection.of(page, PatientType.of)

    @guarded(description="One doctor of the directory.")
    async def doctor(self, info: Info, id: strawberry.ID) -> DoctorType | None:  # noqa: A002 (GraphQL argument name)
        return DoctorType.of(await load_doctor(info, parse_id(id)))

    @guarded(description="The doctor directory; search by name, filter by specialty.")
    async def doctors(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
        specialty: str | None = None,
        include_archived: bool = False,
    ) -> Connection[DoctorType] | None:
        page = await serve(
            info.context,
            service.list_doctors,
            first=first,
            after=after,
            search=search,
            specialty=specialty,
            include_archived=include_archived,
        )
        return Connection.of(page, DoctorType.of)

    @guarded(description="One member of the medical staff (not visible to patients).")
    async def staff_member(self, info: Info, id: strawberry.ID) -> StaffMemberType | None:  # noqa: A002 (GraphQL argument name)
        return StaffMemberType.of(await load_staff_member(info, parse_id(id)))

    @guarded(description="The staff directory; search by name, filter by role and department.")
    async def staff_members(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
        staff_role: StaffRole | None = None,
        department: str | None = None,
        include_archived: bool = False,
    ) -> Connection[StaffMemberType] | None:
        page = await serve(
            info.context,
            service.list_staff_members,
            first=first,
            after=after,
            search=search,
            staff_role=staff_role,
            department=department,
            include_archived=include_archived,
        )
        return Connection.of(page, StaffMemberType.of)


P = TypeVar("P", bound=PersonColumns)
T = TypeVar("T")


async def _create(
    info: Info, kind: service.PersonKind[P], data: object, convert: Callable[[P], T]
) -> T:
    row = await serve(info.context, service.create_person, kind=kind, values=input_values(data))
    return convert(row)


async def _update(
    info: Info,
    kind: service.PersonKind[P],
    person_id: strawberry.ID,
    data: object,
    expected_version: int | None,
    convert: Callable[[P], T],
) -> T:
    row = await serve(
        info.context,
        service.update_person,
        kind=kind,
        person_id=parse_id(person_id),
        changes=input_values(data),
        expected_version=expected_version,
    )
    return convert(row)


async def _archive(
    info: Info,
    kind: service.PersonKind[P],
    person_id: strawberry.ID,
    reason: str | None,
    convert: Callable[[P], T],
) -> T:
    row = await serve(
        info.context,
        service.archive_person,
        kind=kind,
        person_id=parse_id(person_id),
        reason=reason,
    )
    return convert(row)


@strawberry.type
class PeopleMutation:
    @guarded(WRITE_PATIENTS, description="Register a patient; an MRN is generated.")
    async def create_patient(self, info: Info, input: PatientInput) -> PatientType:  # noqa: A002 (GraphQL argument name)
        patient = await serve(
            info.context, service.create_person, kind=service.PATIENTS, values=input_values(input)
        )
        await open_billing_account(info.context, patient)  # once committed; never fails
        return PatientType.of(patient)

    @guarded(WRITE_PATIENTS, description="Change a patient's details.")
    async def update_patient(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument name)
        input: PatientUpdateInput,  # noqa: A002 (GraphQL argument name)
        expected_version: int | None = None,
    ) -> PatientType:
        return await _update(info, service.PATIENTS, id, input, expected_version, PatientType.of)

    @guarded(
        WRITE_OWN_CONTACT_DETAILS,
        policy=PATIENT_POLICY,
        description=(
            "A patient corrects their own email, phone or address (audited; "
            "expectedVersion: CONFLICT when the record changed meanwhile)."
        ),
    )
    async def update_my_contact_details(
        self,
        info: Info,
        input: ContactDetailsInput,  # noqa: A002 (GraphQL argument name)
        expected_version: int | None = None,
    ) -> PatientType:
        row = await serve(
            info.context,
            service.update_my_contact_details,
            changes=input_values(input),
            expected_version=expected_version,
        )
        return PatientType.of(row)

    @guarded(WRITE_PATIENTS, description="Archive (soft-delete) a patient; ADMIN only.")
    async def archive_patient(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument name)
        reason: str | None = None,
    ) -> PatientType:
        return await _archive(info, service.PATIENTS, id, reason, PatientType.of)

    @guarded(WRITE_STAFF, description="Add a doctor; ADMIN only.")
    async def create_doctor(self, info: Info, input: DoctorInput) -> DoctorType:  # noqa: A002 (GraphQL argument name)
        return await _create(info, service.DOCTORS, input, DoctorType.of)

    @guarded(WRITE_STAFF, description="Change a doctor's details; ADMIN only.")
    async def update_doctor(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument name)
        input: DoctorUpdateInput,  # noqa: A002 (GraphQL argument name)
        expected_version: int | None = None,
    ) -> DoctorType:
        return await _update(info, service.DOCTORS, id, input, expected_version, DoctorType.of)

    @guarded(WRITE_STAFF, description="Archive a doctor; ADMIN only.")
    async def archive_doctor(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument name)
        reason: str | None = None,
    ) -> DoctorType:
        return await _archive(info, service.DOCTORS, id, reason, DoctorType.of)

    @guarded(WRITE_STAFF, description="Add a member of the medical staff; ADMIN only.")
    async def create_staff_member(self, info: Info, input: StaffMemberInput) -> StaffMemberType:  # noqa: A002 (GraphQL argument name)
        return await _create(info, service.STAFF, input, StaffMemberType.of)

    @guarded(WRITE_STAFF, description="Change a staff member's details; ADMIN only.")
    async def update_staff_member(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument name)
        input: StaffMemberUpdateInput,  # noqa: A002 (GraphQL argument name)
        expected_version: int | None = None,
    ) -> StaffMemberType:
        return await _update(info, service.STAFF, id, input, expected_version, StaffMemberType.of)

    @guarded(WRITE_STAFF, description="Archive a staff member; ADMIN only.")
    async def archive_staff_member(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument name)
        reason: str | None = None,
    ) -> StaffMemberType:
        return await _archive(info, service.STAFF, id, reason, StaffMemberType.of)
