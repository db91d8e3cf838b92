"""Billing's fields on clinical's ``Patient`` and ``Appointment`` entities (Federation v2 keys).

Billing knows these entities by id only; ``resolve_reference`` answers a stub without a
query, and each field loads its own data (batched) under the billing row rules.
"""

from __future__ import annotations

import strawberry

from subgraphs.billing.access.scopes import (
    ACCOUNT_POLICY,
    INVOICE_POLICY,
    LINE_POLICY,
    READ_BILLING,
)
from subgraphs.billing.accounts.types import BillingAccountType, load_account_of_patient
from subgraphs.billing.invoices.models import InvoiceStatus
from subgraphs.billing.invoices.types import (
    InvoiceLineType,
    InvoiceType,
    load_balance,
    load_invoices_of_patient,
    load_line_of_appointment,
)
from subgraphs.billing.money_type import MoneyType, money
from subgraphs.common.context import RequestContext
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["AppointmentType", "PatientType"]

Info = strawberry.Info[RequestContext, None]


@strawberry.federation.type(name="Patient", keys=["id"])
class PatientType:
    id: strawberry.ID

    @guarded(READ_BILLING, policy=ACCOUNT_POLICY, description="The patient's billing account.")
    async def billing_account(self, info: Info) -> BillingAccountType | None:
        account = await load_account_of_patient(info, parse_id(self.id))
        return BillingAccountType.of(account) if account else None

    @guarded(
        READ_BILLING,
        policy=INVOICE_POLICY,
        description="The patient's invoices and credit notes, newest first.",
    )
    async def invoices(
        self, info: Info, status: list[InvoiceStatus] | None = None
    ) -> list[InvoiceType]:
        rows = await load_invoices_of_patient(info, parse_id(self.id), status)
        return [InvoiceType.of(row) for row in rows]

    @guarded(
        READ_BILLING,
        policy=ACCOUNT_POLICY,
        description="What the patient owes over their issued invoices (null without an account).",
    )
    async def balance(self, info: Info) -> MoneyType | None:
        found = await load_balance(info, parse_id(self.id))
        return money(*found) if found else None

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> PatientType:  # noqa: A002 (federation passes the key field by name)
        return cls(id=id)


@strawberry.federation.type(name="Appointment", keys=["id"])
class AppointmentType:
    id: strawberry.ID

    @guarded(
        READ_BILLING,
        policy=LINE_POLICY,
        description="What this appointment was billed (null until billed).",
    )
    async def invoice_line(self, info: Info) -> InvoiceLineType | None:
        found = await load_line_of_appointment(info, parse_id(self.id))
        return InvoiceLineType.of(*found) if found else None

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> AppointmentType:  # noqa: A002 (federation passes the key field by name)
        return cls(id=id)
