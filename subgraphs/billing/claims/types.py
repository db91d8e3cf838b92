"""GraphQL types of claims: the ``Claim`` entity, its status history and its verification."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.billing.access.scopes import INVOICE_POLICY, READ_BILLING
from subgraphs.billing.claims import service
from subgraphs.billing.claims.models import Claim, ClaimStatus, ClaimStatusChange
from subgraphs.billing.invoices.types import InvoiceType, load_invoice
from subgraphs.billing.money_type import MoneyType, money
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.fields import field
from subgraphs.common.ids import parse_id
from subgraphs.common.loaders import load_batched

__all__ = [
    "ClaimStatusChangeType",
    "ClaimType",
    "ClaimVerificationType",
    "SubmitClaimInput",
    "load_claim",
]

Info = strawberry.Info[RequestContext, None]

strawberry.enum(ClaimStatus, name="ClaimStatus")
strawberry.enum(service.Integrity, name="ClaimIntegrity")


@strawberry.type(name="ClaimStatusChange", description="A status change, recorded on chain.")
class ClaimStatusChangeType:
    from_status: ClaimStatus
    to_status: ClaimStatus
    transaction_hash: str = strawberry.field(description="The insurer's setStatus transaction.")
    block_number: int
    note: str | None
    changed_at: datetime
    changed_by: str

    @classmethod
    def of(cls, row: ClaimStatusChange) -> ClaimStatusChangeType:
        return cls(
            from_status=ClaimStatus(row.from_status),
            to_status=ClaimStatus(row.to_status),
            transaction_hash=row.tx_hash,
            block_number=row.block_number,
            note=row.note,
            changed_at=row.changed_at,
            changed_by=row.changed_by,
        )


@strawberry.federation.type(
    name="Claim",
    keys=["id"],
    authenticated=True,
    requires_scopes=READ_BILLING.directive,
    policy=[[INVOICE_POLICY]],
    description="An insurance claim for an invoice, anchored on chain (its invoice's row rules).",
)
class ClaimType:
    id: strawberry.ID
    invoice_id: strawberry.ID
    patient_id: strawberry.ID
    payer: str = strawberry.field(description="The insurer the claim is made to.")
    policy_number: str
    codes: list[str] = strawberry.field(description="Diagnosis and procedure codes, in order.")
    amount: MoneyType
    status: ClaimStatus
    claim_hash: str = strawberry.field(
        description="SHA-256 of the claim's canonical JSON (RFC 8785), as anchored."
    )
    anchor_transaction_hash: str
    anchor_block: int
    registry_address: str = strawberry.field(description="The ClaimRegistry contract.")
    decision_note: str | None
    version: int
    submitted_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: Claim) -> ClaimType:
        return cls(
            id=strawberry.ID(str(row.id)),
            invoice_id=strawberry.ID(str(row.invoice_id)),
            patient_id=strawberry.ID(str(row.patient_id)),
            payer=row.payer,
            policy_number=row.policy_number,
            codes=list(row.codes),
            amount=money(row.amount_minor, row.currency),
            status=ClaimStatus(row.status),
            claim_hash=row.content_hash,
            anchor_transaction_hash=row.anchor_tx_hash,
            anchor_block=row.anchor_block,
            registry_address=row.registry_address,
            decision_note=row.decision_note,
            version=row.version,
            submitted_at=row.submitted_at,
            updated_at=row.updated_at,
        )

    @field(description="The invoice claimed.")
    async def invoice(self, info: Info) -> InvoiceType:
        return InvoiceType.of(await load_invoice(info, parse_id(self.invoice_id)))

    @field(description="Status changes, oldest first, each with its chain transaction.")
    async def history(self, info: Info) -> list[ClaimStatusChangeType]:
        rows = await load_history(info, parse_id(self.id))
        return [ClaimStatusChangeType.of(row) for row in rows]

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> ClaimType:  # noqa: A002 (federation passes the key field by name)
        return cls.of(await load_claim(info, parse_id(id)))


@strawberry.type(
    name="ClaimVerification",
    description="A claim's row compared with the chain: TAMPERED when it no longer matches.",
)
class ClaimVerificationType:
    claim: ClaimType
    integrity: service.Integrity
    tampered: bool
    stored_hash: str = strawberry.field(description="The hash the row says was anchored.")
    computed_hash: str = strawberry.field(description="The hash of the row as it is now.")
    anchored_hash: str | None = strawberry.field(
        description="The hash the anchoring transaction put on chain."
    )
    chain_status: ClaimStatus | None
    mismatches: list[str] = strawberry.field(description="content, hash, status: what differs.")

    @classmethod
    def of(cls, found: service.ClaimVerification) -> ClaimVerificationType:
        return cls(
            claim=ClaimType.of(found.claim),
            integrity=found.integrity,
            tampered=found.integrity is service.Integrity.TAMPERED,
            stored_hash=found.stored_hash,
            computed_hash=found.computed_hash,
            anchored_hash=found.anchored_hash,
            chain_status=found.chain_status,
            mismatches=list(found.mismatches),
        )


@strawberry.input
class SubmitClaimInput:
    invoice_id: strawberry.ID
    codes: list[str] = strawberry.field(description="ICD-10 / CPT style codes, 1 to 25.")
    amount: Decimal | None = strawberry.field(
        default=None, description="Major units; default what the invoice bills net of credits."
    )
    payer: str | None = strawberry.field(default=None, description="Default: the account's.")
    policy_number: str | None = strawberry.field(
        default=None, description="Default: the account's."
    )


# ------------------------------------------------------------------ loaders


async def _claims(
    session: AsyncSession, caller: Caller, keys: list[uuid.UUID]
) -> Mapping[uuid.UUID, Claim | BaseException]:
    return await service.load_claims(session, caller=caller, claim_ids=keys)


async def load_claim(info: Info, claim_id: uuid.UUID) -> Claim:
    """One claim the caller may read, batched with the request's other claim lookups."""
    claim: Claim = await load_batched(
        info.context, "billing.claim", _claims, claim_id, scopes=READ_BILLING
    )
    return claim


async def _history(
    session: AsyncSession, caller: Caller, keys: list[uuid.UUID]
) -> Mapping[uuid.UUID, Sequence[ClaimStatusChange] | BaseException]:
    return await service.status_changes_of(session, caller=caller, claim_ids=keys)


async def load_history(info: Info, claim_id: uuid.UUID) -> Sequence[ClaimStatusChange]:
    changes: Sequence[ClaimStatusChange] = await load_batched(
        info.context, "billing.claim_history", _history, claim_id, scopes=READ_BILLING
    )
    return changes
