"""A report table as a CSV (RFC 4180) or a printable PDF (fpdf2)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

from fpdf.fonts import FontFace

from subgraphs.billing.reports.tables import ReportTable
from subgraphs.common.printing import PrintedDocument

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


def render_pdf(
    table: ReportTable,
    *,
    hospital: str = "healthgraph",
    font: Path | None = None,
    now: datetime | None = None,
) -> bytes:
    """An A4 page (or more) with the hospital, the report's title and period, and the table.

    ``font``: a Unicode TrueType font (names of payers print as written); without one the core
    font prints them transliterated.
    """
    sheet = PrintedDocument(font, family="report", page_format="A4", margin=15)
    pdf = sheet.pdf
    pdf.set_title(sheet.text(table.title))
    pdf.set_author(sheet.text(hospital))

    def line(value: str, size: float) -> None:
        pdf.set_font(sheet.family, size=size)
        pdf.cell(text=sheet.text(value), new_x="LMARGIN", new_y="NEXT")

    line(hospital, 9)
    line(table.title, 15)
    generated = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    line(f"{table.subtitle} - generated {generated}", 10)
    pdf.ln(4)
    pdf.set_font(sheet.family, size=9)
    numeric = tuple("RIGHT" if index >= 2 else "LEFT" for index in range(len(table.columns)))
    shaded = FontFace(fill_color=(225, 225, 225))
    with pdf.table(text_align=numeric, headings_style=shaded, line_height=6) as grid:
        header = grid.row()
        for name in table.columns:
            header.cell(sheet.text(name))
        for values in table.rows:
            row = grid.row()
            for value in values:
                row.cell(sheet.text(value))
        for values in table.totals:
            row = grid.row(style=shaded)
            for value in values:
                row.cell(sheet.text(value))
    if not table.rows:
        pdf.ln(3)
        line("No figures in this period.", 10)
    return bytes(pdf.output())
