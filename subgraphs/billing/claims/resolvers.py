"""Claim queries and mutations (``ClaimQuery``/``ClaimMutation``)."""

from __future__ import annotations

import strawberry

from subgraphs.billing.access.scopes import INVOICE_POLICY, READ_BILLING, WRITE_BILLING
from subgraphs.billing.claims import service
from subgraphs.billing.claims.models import ClaimStatus
from subgraphs.billing.claims.runtime import registry_of
from subgraphs.billing.claims.types import (
    ClaimType,
    ClaimVerificationType,
    SubmitClaimInput,
    load_claim,
)
from subgraphs.common.audit import serve
from subgraphs.common.context import RequestContext
from subgraphs.common.field_guard import guarded
from subgraphs.common.ids import parse_id

__all__ = ["ClaimMutation", "ClaimQuery"]

Info = strawberry.Info[RequestContext, None]


@strawberry.type
class ClaimQuery:
    @guarded(READ_BILLING, policy=INVOICE_POLICY, description="One insurance claim.")
    async def claim(self, info: Info, id: strawberry.ID) -> ClaimType | None:  # noqa: A002 (GraphQL argument)
        return ClaimType.of(await load_claim(info, parse_id(id)))

    @guarded(
        READ_BILLING,
        policy=INVOICE_POLICY,
        description="Claims newest first: staff and admin all, a patient their own.",
    )
    async def claims(
        self,
        info: Info,
        status: ClaimStatus | None = None,
        invoice_id: strawberry.ID | None = None,
        first: int = 50,
    ) -> list[ClaimType]:
        rows = await serve(
            info.context,
            service.list_claims,
            status=status,
            invoice_id=parse_id(invoice_id, what="invoiceId") if invoice_id else None,
            limit=first,
        )
        return [ClaimType.of(row) for row in rows]

    @guarded(
        READ_BILLING,
        policy=INVOICE_POLICY,
        description="Recompute the claim's hash and compare it with the chain.",
    )
    async def verify_claim(self, info: Info, id: strawberry.ID) -> ClaimVerificationType:  # noqa: A002 (GraphQL argument)
        found = await serve(
            info.context,
            service.verify_claim,
            registry=registry_of(info.context),
            claim_id=parse_id(id),
        )
        return ClaimVerificationType.of(found)


@strawberry.type
class ClaimMutation:
    @guarded(
        WRITE_BILLING,
        description="Claim an issued invoice from the insurer; its hash is anchored on chain "
        "(the same claim twice is refused by the contract: CONFLICT, reason DUPLICATE_CLAIM).",
    )
    async def submit_claim(self, info: Info, input: SubmitClaimInput) -> ClaimType:  # noqa: A002 (GraphQL argument)
        row = await serve(
            info.context,
            service.submit_claim,
            registry=registry_of(info.context),
            invoice_id=parse_id(input.invoice_id, what="invoiceId"),
            codes=input.codes,
            amount=input.amount,
            payer=input.payer,
            policy_number=input.policy_number,
        )
        return ClaimType.of(row)

    @guarded(
        WRITE_BILLING,
        description="Move a claim on: SUBMITTED -> VALIDATED -> APPROVED | DENIED, APPROVED -> "
        "PAID; recorded on chain by the insurer's account.",
    )
    async def set_claim_status(
        self,
        info: Info,
        id: strawberry.ID,  # noqa: A002 (GraphQL argument)
        status: ClaimStatus,
        note: str | None = None,
    ) -> ClaimType:
        row = await serve(
            info.context,
            service.change_claim_status,
            registry=registry_of(info.context),
            claim_id=parse_id(id),
            status=status,
            note=note,
        )
        return ClaimType.of(row)
