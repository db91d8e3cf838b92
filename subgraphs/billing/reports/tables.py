"""Each report as a table (title, columns, rows, totals per currency): what CSV and PDF print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from subgraphs.billing.money import from_minor
from subgraphs.billing.reports.service import AgeingRow, ClaimStatusRow, RevenueRow

__all__ = ["ReportTable", "ageing_table", "claims_table", "revenue_table"]


@dataclass(frozen=True, slots=True)
class ReportTable:
    """Cells are strings as printed; ``totals`` holds one row per currency."""

    title: str
    subtitle: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    totals: list[tuple[str, ...]] = field(default_factory=list)


def _money(minor: int | None, currency: str) -> str:
    return "" if minor is None else str(from_minor(minor, currency))


def _sums(
    items: Sequence[tuple[str, Sequence[int | None]]],
) -> dict[str, list[int | None]]:
    """Column sums per currency (None stays None: a column with no figures)."""
    sums: dict[str, list[int | None]] = {}
    for currency, values in items:
        current = sums.setdefault(currency, [0 if v is not None else None for v in values])
        sums[currency] = [
            None if a is None or b is None else a + b for a, b in zip(current, values, strict=True)
        ]
    return sums


def revenue_table(title: str, subtitle: str, key: str, rows: Sequence[RevenueRow]) -> ReportTable:
    """Revenue grouped by ``key`` (Period, Doctor, Payer)."""
    table = ReportTable(title, subtitle, (key, "Currency", "Documents", "Billed", "Collected"))
    for row in rows:
        table.rows.append(
            (
                row.key,
                row.currency,
                str(row.documents),
                _money(row.billed_minor, row.currency),
                _money(row.collected_minor, row.currency),
            )
        )
    sums = _sums([(r.currency, (r.documents, r.billed_minor, r.collected_minor)) for r in rows])
    for currency, (documents, billed, collected) in sorted(sums.items()):
        table.totals.append(
            (
                "TOTAL",
                currency,
                str(documents),
                _money(billed, currency),
                _money(collected, currency),
            )
        )
    return table


def ageing_table(subtitle: str, rows: Sequence[AgeingRow]) -> ReportTable:
    table = ReportTable(
        "Accounts receivable ageing",
        subtitle,
        ("Days past due", "Currency", "Invoices", "Outstanding"),
    )
    for row in rows:
        table.rows.append(
            (
                row.bucket,
                row.currency,
                str(row.invoices),
                _money(row.outstanding_minor, row.currency),
            )
        )
    sums = _sums([(r.currency, (r.invoices, r.outstanding_minor)) for r in rows])
    for currency, (invoices, outstanding) in sorted(sums.items()):
        table.totals.append(("TOTAL", currency, str(invoices), _money(outstanding, currency)))
    return table


def claims_table(subtitle: str, rows: Sequence[ClaimStatusRow]) -> ReportTable:
    table = ReportTable("Claims by status", subtitle, ("Status", "Currency", "Claims", "Amount"))
    for row in rows:
        table.rows.append(
            (
                row.status.value,
                row.currency,
                str(row.claims),
                _money(row.amount_minor, row.currency),
            )
        )
    sums = _sums([(r.currency, (r.claims, r.amount_minor)) for r in rows])
    for currency, (claims, amount) in sorted(sums.items()):
        table.totals.append(("TOTAL", currency, str(claims), _money(amount, currency)))
    return table
