"""GraphQL types of the billing reports."""

from __future__ import annotations

import strawberry

from subgraphs.billing.claims.models import ClaimStatus
from subgraphs.billing.money_type import MoneyType, money
from subgraphs.billing.reports.downloads import ReportName
from subgraphs.billing.reports.service import AgeingRow, ClaimStatusRow, Granularity, RevenueRow

__all__ = ["AgeingRowType", "ClaimStatusRowType", "ReportFileType", "RevenueRowType"]

strawberry.enum(Granularity, name="ReportGranularity")
strawberry.enum(ReportName, name="ReportName", description="A billing report.")


@strawberry.type(
    name="ReportFile",
    description="A report as a file, for a browser to save (the same CSV as the download).",
)
class ReportFileType:
    filename: str = strawberry.field(description="e.g. revenue-by-payer.csv")
    content_type: str = strawberry.field(description="text/csv; charset=utf-8")
    text: str = strawberry.field(description="The file's content.")


@strawberry.type(name="RevenueRow", description="Revenue of one group in one currency.")
class RevenueRowType:
    key: str = strawberry.field(
        description="The period's first day (YYYY-MM-DD), the doctor's id, or the payer."
    )
    currency: str
    documents: int = strawberry.field(description="Invoices and credit notes booked.")
    billed: MoneyType = strawberry.field(description="Issued totals, credit notes deducted.")
    collected: MoneyType | None = strawberry.field(
        description="Paid on those invoices (null per doctor: payments are per invoice)."
    )

    @classmethod
    def of(cls, row: RevenueRow) -> RevenueRowType:
        return cls(
            key=row.key,
            currency=row.currency,
            documents=row.documents,
            billed=money(row.billed_minor, row.currency),
            collected=(
                None if row.collected_minor is None else money(row.collected_minor, row.currency)
            ),
        )


@strawberry.type(name="AgeingRow", description="What open invoices owe, by days past due.")
class AgeingRowType:
    bucket: str = strawberry.field(description="0-30 (not yet due included), 31-60, 61-90, 90+.")
    currency: str
    invoices: int
    outstanding: MoneyType

    @classmethod
    def of(cls, row: AgeingRow) -> AgeingRowType:
        return cls(
            bucket=row.bucket,
            currency=row.currency,
            invoices=row.invoices,
            outstanding=money(row.outstanding_minor, row.currency),
        )


@strawberry.type(name="ClaimStatusRow", description="Claims in one status and currency.")
class ClaimStatusRowType:
    status: ClaimStatus
    currency: str
    claims: int
    amount: MoneyType

    @classmethod
    def of(cls, row: ClaimStatusRow) -> ClaimStatusRowType:
        return cls(
            status=row.status,
            currency=row.currency,
            claims=row.claims,
            amount=money(row.amount_minor, row.currency),
        )
