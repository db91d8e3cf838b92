"""A report table as a CSV (RFC 4180) or a printable PDF (fpdf2)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.fonts import FontFace

from subgraphs.billing.reports.tables import ReportTable

__all__ = ["render_csv", "render_pdf"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading formula character is quoted away (CWE-1236).

    Amounts such as ``-12.00`` (credit notes) are numbers, not formulas, and stay as they are.
    """
    if value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def render_csv(table: ReportTable) -> bytes:
    """Header, rows, then one ``TOTAL`` row per currency; UTF-8, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in (*table.rows, *table.totals):
        writer.writerow([_cell(value) for value in row])
    return out.getvalue().encode("utf-8")


def _latin1(value: str) -> str:
    return value.encode("latin-1", "replace").decode("latin-1")


def render_pdf(
    table: ReportTable, *, hospital: str = "healthgraph", now: datetime | None = None
) -> bytes:
    """An A4 page (or more) with the hospital, the report's title and period, and the table."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(table.title)
    pdf.set_author(_latin1(hospital))
    pdf.add_page()
    pdf.set_font("helvetica", size=9)
    pdf.cell(text=_latin1(hospital), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", style="B", size=15)
    pdf.cell(text=_latin1(table.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)
    generated = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    pdf.cell(
        text=_latin1(f"{table.subtitle} - generated {generated}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(4)
    numeric = tuple("RIGHT" if index >= 2 else "LEFT" for index in range(len(table.columns)))
    with pdf.table(
        text_align=numeric, headings_style=FontFace(emphasis="BOLD"), line_height=6
    ) as grid:
        header = grid.row()
        for name in table.columns:
            header.cell(name)
        for values in table.rows:
            line = grid.row()
            for value in values:
                line.cell(_latin1(value))
        for values in table.totals:
            line = grid.row(style=FontFace(emphasis="BOLD"))
            for value in values:
                line.cell(_latin1(value))
    if not table.rows:
        pdf.ln(3)
        pdf.cell(text="No figures in this period.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
