"""Reports as CSV (totals match the rows) and as PDF (parsed back), on the synthetic ledger."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.reports import service
from subgraphs.billing.reports.export import render_csv, render_pdf
from subgraphs.billing.reports.service import Period
from subgraphs.billing.reports.tables import ReportTable, ageing_table, revenue_table
from subgraphs.common.context import Caller
from subgraphs.common.database import Database
from tests.subgraphs.billing.reports.ledger import make_ledger


def _parse(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"))))


def _check_totals(rows: list[list[str]], columns: tuple[int, ...]) -> dict[str, list[Decimal]]:
    """Sum each numeric column per currency and compare with the TOTAL rows; returns the totals."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(columns))
    totals: dict[str, list[Decimal]] = {}
    for row in rows[1:]:
        values = [Decimal(row[i]) for i in columns]
        if row[0] == "TOTAL":
            totals[row[1]] = values
        else:
            sums[row[1]] = [a + b for a, b in zip(sums[row[1]], values, strict=True)]
    assert totals == dict(sums)
    return totals


async def test_csv_totals_match_their_rows(database: Database, staff: Caller) -> None:
    await make_ledger(database, staff)
    period = Period.of(date(2026, 1, 1), date(2026, 2, 28))
    async with database.session() as session:
        payers = await service.revenue_by_payer(session, caller=staff, period=period)
        ageing = await service.receivables_ageing(session, caller=staff, as_of=date(2026, 5, 1))
    revenue_rows = _parse(render_csv(revenue_table("Revenue by payer", "Jan-Feb", "Payer", payers)))
    assert revenue_rows[0] == ["Payer", "Currency", "Documents", "Billed", "Collected"]
    assert revenue_rows[1] == ["Synthetic Mutual", "GBP", "1", "120.00", "120.00"]
    assert _check_totals(revenue_rows, (2, 3, 4)) == {
        "EUR": [Decimal(1), Decimal("30.00"), Decimal("0.00")],
        "GBP": [Decimal(4), Decimal("260.00"), Decimal("120.00")],
    }
    ageing_rows = _parse(render_csv(ageing_table("As of 2026-05-01", ageing)))
    assert _check_totals(ageing_rows, (2, 3)) == {
        "EUR": [Decimal(1), Decimal("30.00")],
        "GBP": [Decimal(4), Decimal("225.00")],
    }


def test_a_csv_cell_never_starts_a_formula() -> None:
    table = ReportTable("t", "s", ("Payer", "Currency", "Amount"))
    table.rows.append(('=HYPERLINK("http://x")', "GBP", "-10.00"))
    table.rows.append(("@SUM(A1)", "GBP", "5.00"))
    rows = _parse(render_csv(table))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "GBP", "-10.00"]  # a credit stays a number
    assert rows[2][0] == "'@SUM(A1)"


def test_a_pdf_report_parses_back() -> None:
    table = revenue_table(
        "Revenue by payer",
        "2026-01-01 to 2026-02-28",
        "Payer",
        [service.RevenueRow("Synthetic Mutual", "GBP", 1, 12000, 12000)],
    )
    pdf = render_pdf(table, hospital="Synthetic General Hospital")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert reader.metadata is not None
    assert reader.metadata.title == "Revenue by payer"
    for expected in ("Synthetic General Hospital", "Revenue by payer", "2026-01-01 to 2026-02-28"):
        assert expected in text
    assert "Synthetic Mutual" in text
    assert "120.00" in text
    assert "TOTAL" in text


def test_names_print_with_a_unicode_font_or_transliterated() -> None:
    rows = [service.RevenueRow("Łódź Zdrowie", "PLN", 1, 5000, 0)]
    table = revenue_table("Revenue by payer", "x", "Payer", rows)
    font = InvoiceSettings().pdf_font
    if font is not None and font.is_file():
        text = PdfReader(io.BytesIO(render_pdf(table, font=font))).pages[0].extract_text()
        assert "Łódź Zdrowie" in text
    core = PdfReader(io.BytesIO(render_pdf(table, font=None))).pages[0].extract_text()
    assert "Lodz Zdrowie" in core


def test_a_long_report_runs_over_pages_and_an_empty_one_says_so() -> None:
    rows = [service.RevenueRow(f"Payer {i:03}", "GBP", 1, 100 * i, 0) for i in range(120)]
    long = PdfReader(io.BytesIO(render_pdf(revenue_table("Revenue", "x", "Payer", rows))))
    assert len(long.pages) > 1
    assert "Payer 119" in long.pages[-1].extract_text()
    empty = PdfReader(io.BytesIO(render_pdf(revenue_table("Revenue", "x", "Payer", []))))
    assert "No figures in this period." in empty.pages[0].extract_text()
