"""The clinical subgraph's Federation v2 schema, merged from each domain's Query and Mutation.

Apollo Federation 2 subgraph specification (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/reference/subgraph-spec).
A domain joins the schema by adding its classes to ``QUERIES``/``MUTATIONS``/``TYPES`` below.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from subgraphs.clinical.access.resolvers import AccessMutation, AccessQuery
from subgraphs.clinical.analytics.resolvers import AnalyticsQuery, AnalyticsSubscription
from subgraphs.clinical.appointments.resolvers import AppointmentMutation, AppointmentQuery
from subgraphs.clinical.appointments.types import AppointmentType
from subgraphs.clinical.audit.resolvers import AuditQuery
from subgraphs.clinical.availability.resolvers import AvailabilityMutation, AvailabilityQuery
from subgraphs.clinical.live.resolvers import LiveSubscription
from subgraphs.clinical.people.resolvers import PeopleMutation, PeopleQuery
from subgraphs.clinical.people.types import DoctorType, PatientType, StaffMemberType, UserType
from subgraphs.clinical.prescriptions.resolvers import PrescriptionMutation, PrescriptionQuery
from subgraphs.clinical.prescriptions.types import Prescription
from subgraphs.clinical.records.resolvers import RecordMutation, RecordQuery
from subgraphs.clinical.records.types import MedicalRecord
from subgraphs.common.service_schema import ServiceSchema

__all__ = ["MUTATIONS", "QUERIES", "SUBSCRIPTION", "TYPES", "build_schema", "schema"]

QUERIES: tuple[type, ...] = (
    PeopleQuery,
    AccessQuery,
    AvailabilityQuery,
    AppointmentQuery,
    RecordQuery,
    PrescriptionQuery,
    AuditQuery,
    AnalyticsQuery,
)
MUTATIONS: tuple[type, ...] = (
    PeopleMutation,
    AccessMutation,
    AvailabilityMutation,
    AppointmentMutation,
    RecordMutation,
    PrescriptionMutation,
)
SUBSCRIPTION: type = merge_types("Subscription", (LiveSubscription, AnalyticsSubscription))
# Entities reachable only through ``_entities`` must be listed so they are in the schema.
TYPES: tuple[type, ...] = (
    PatientType,
    DoctorType,
    StaffMemberType,
    AppointmentType,
    UserType,
    MedicalRecord,
    Prescription,
)


def build_schema() -> ServiceSchema:
    """A fresh schema of every domain (tests build their own; the app uses :data:`schema`)."""
    return ServiceSchema(
        query=merge_types("Query", QUERIES),
        mutation=merge_types("Mutation", MUTATIONS),
        subscription=SUBSCRIPTION,
        types=list(TYPES),
    )


schema = build_schema()
