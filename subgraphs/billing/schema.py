"""The billing subgraph's Federation v2 schema, merged from each domain's Query and Mutation.

Apollo Federation 2 subgraph specification (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/reference/subgraph-spec).
A domain joins the schema by adding its classes to ``QUERIES``/``MUTATIONS``/``TYPES`` below,
one line each.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from subgraphs.billing.accounts.resolvers import AccountMutation, AccountQuery
from subgraphs.billing.claims.resolvers import ClaimMutation, ClaimQuery
from subgraphs.billing.claims.types import ClaimType
from subgraphs.billing.invoices.resolvers import InvoiceMutation, InvoiceQuery
from subgraphs.billing.invoices.types import InvoiceType
from subgraphs.billing.patients.types import AppointmentType, PatientType
from subgraphs.billing.payments.resolvers import PaymentMutation, PaymentQuery
from subgraphs.billing.payments.types import PaymentType
from subgraphs.billing.reports.resolvers import ReportQuery
from subgraphs.common.service_schema import ServiceSchema

__all__ = ["MUTATIONS", "QUERIES", "TYPES", "build_schema", "schema"]

QUERIES: tuple[type, ...] = (
    AccountQuery,
    InvoiceQuery,
    ClaimQuery,
    ReportQuery,
    PaymentQuery,
)
MUTATIONS: tuple[type, ...] = (
    AccountMutation,
    InvoiceMutation,
    ClaimMutation,
    PaymentMutation,
)
# Entities reachable only through ``_entities`` must be listed so they are in the schema.
TYPES: tuple[type, ...] = (
    PatientType,
    AppointmentType,
    InvoiceType,
    ClaimType,
    PaymentType,
)


def build_schema() -> ServiceSchema:
    """A fresh schema of every domain (tests build their own; the app uses :data:`schema`)."""
    return ServiceSchema(
        query=merge_types("Query", QUERIES),
        mutation=merge_types("Mutation", MUTATIONS),
        types=list(TYPES),
    )


schema = build_schema()
