"""Billing account queries and mutations (``AccountQuery``/``AccountMutation``)."""

from __future__ import annotations

import strawberry

from subgraphs.billing.access.scopes import ACCOUNT_POLICY, READ_BILLING, WRITE_BILLING
from subgraphs.billing.accounts import service
from subgraphs.billing.accounts.settings import AccountSettings
from subgraphs.billing.accounts.types import AccountDetailsInput, BillingAccountType
from subgraphs.billing.runtime import settings_of
from subgraphs.common.audit import serve
from subgraphs.common.context import RequestContext
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["AccountMutation", "AccountQuery"]

Info = strawberry.Info[RequestContext, None]


@strawberry.type
class AccountQuery:
    @guarded(READ_BILLING, policy=ACCOUNT_POLICY, description="A patient's billing account.")
    async def billing_account(
        self, info: Info, patient_id: strawberry.ID
    ) -> BillingAccountType | None:
        row = await serve(info.context, service.account_of_patient, patient_id=parse_id(patient_id))
        return BillingAccountType.of(row) if row else None


@strawberry.type
class AccountMutation:
    @guarded(
        WRITE_BILLING,
        description="Open a patient's billing account (idempotent: an existing one is returned).",
    )
    async def open_billing_account(
        self,
        info: Info,
        patient_id: strawberry.ID,
        details: AccountDetailsInput | None = None,
        patient_user_id: strawberry.ID | None = None,
        currency: str | None = None,
    ) -> BillingAccountType:
        row = await serve(
            info.context,
            service.open_account,
            patient_id=parse_id(patient_id, what="patientId"),
            currency=currency or settings_of(info.context, AccountSettings).currency,
            patient_user_id=parse_id(patient_user_id, what="patientUserId")
            if patient_user_id
            else None,
            details=details.details() if details else None,
        )
        return BillingAccountType.of(row)

    @guarded(WRITE_BILLING, description="Change a patient's payer and insurance details.")
    async def update_billing_account(
        self, info: Info, patient_id: strawberry.ID, details: AccountDetailsInput
    ) -> BillingAccountType:
        row = await serve(
            info.context,
            service.update_account,
            patient_id=parse_id(patient_id, what="patientId"),
            details=details.details(),
        )
        return BillingAccountType.of(row)
