"""GraphQL types of billing accounts."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.scopes import ACCOUNT_POLICY, READ_BILLING
from subgraphs.billing.accounts import service
from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.loaders import load_batched

__all__ = ["AccountDetailsInput", "BillingAccountType", "load_account_of_patient"]

Info = strawberry.Info[RequestContext, None]


@strawberry.federation.type(
    name="BillingAccount",
    authenticated=True,
    requires_scopes=READ_BILLING.directive,
    policy=[[ACCOUNT_POLICY]],
    description="A patient's billing account: who pays, and their insurance.",
)
class BillingAccountType:
    id: strawberry.ID
    patient_id: strawberry.ID
    payer_name: str | None
    payer_email: str | None
    payer_address: str | None
    insurer: str | None
    policy_number: str | None
    currency: str
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: BillingAccount) -> BillingAccountType:
        return cls(
            id=strawberry.ID(str(row.id)),
            patient_id=strawberry.ID(str(row.patient_id)),
            payer_name=row.payer_name,
            payer_email=row.payer_email,
            payer_address=row.payer_address,
            insurer=row.insurer,
            policy_number=row.policy_number,
            currency=row.currency,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.input
class AccountDetailsInput:
    payer_name: str | None = None
    payer_email: str | None = None
    payer_address: str | None = None
    insurer: str | None = None
    policy_number: str | None = None

    def details(self) -> service.AccountDetails:
        return service.AccountDetails(
            payer_name=self.payer_name,
            payer_email=self.payer_email,
            payer_address=self.payer_address,
            insurer=self.insurer,
            policy_number=self.policy_number,
        )


async def _accounts(
    session: AsyncSession, caller: Caller, keys: list[uuid.UUID]
) -> Mapping[uuid.UUID, BillingAccount | BaseException | None]:
    return await service.accounts_of_patients(session, caller=caller, patient_ids=keys)


async def load_account_of_patient(info: Info, patient_id: uuid.UUID) -> BillingAccount | None:
    """The patient's account (batched over the request), under the row rules."""

    account: BillingAccount | None = await load_batched(
        info.context, "billing.account_of_patient", _accounts, patient_id, scopes=READ_BILLING
    )
    return account
