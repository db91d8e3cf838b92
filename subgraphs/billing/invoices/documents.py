"""The printable invoice (a PDF by fpdf2, with a QR code to pay) and its CSV export.

Both are built from the stored invoice and lines alone, amounts formatted exactly from minor
units (:func:`subgraphs.billing.money.from_minor`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from subgraphs.billing.accounts.models import BillingAccount
from subgraphs.billing.invoices.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.money import from_minor
from subgraphs.common.printing import PrintedDocument, qr_png

__all__ = ["CSV_COLUMNS", "InvoiceDocument", "render_invoice_csv", "render_invoice_pdf"]

CSV_COLUMNS = (
    "invoice_number", "line", "service_code", "description", "quantity", "unit_price",
    "discount", "tax_rate_percent", "net", "tax", "total", "currency",
)  # fmt: skip
_FONT = "invoice"
# Column widths (mm) of the lines table on A4 with 15 mm margins: 180 mm in all.
_WIDTHS = (20, 70, 12, 24, 20, 14, 20)


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    """What a printed invoice shows: the invoice, its account and its lines in order."""

    invoice: Invoice
    account: BillingAccount
    lines: Sequence[InvoiceLine]

    def amount(self, minor: int) -> str:
        return str(from_minor(minor, self.invoice.currency))

    @property
    def title(self) -> str:
        kind = "Credit note" if self.invoice.kind == InvoiceKind.CREDIT_NOTE else "Invoice"
        return f"{kind} {self.invoice.number or '(draft)'}"


def render_invoice_csv(document: InvoiceDocument) -> str:
    """One row per line, then SUBTOTAL, DISCOUNT, TAX, TOTAL, PAID, CREDITED and DUE rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    invoice = document.invoice
    number = invoice.number or ""
    for line in document.lines:
        writer.writerow(
            (
                number,
                line.position,
                line.service_code,
                line.description,
                line.quantity,
                document.amount(line.unit_price_minor),
                document.amount(line.discount_minor),
                f"{line.tax_rate_bp / 100:.2f}",
                document.amount(line.net_minor),
                document.amount(line.tax_minor),
                document.amount(line.total_minor),
                invoice.currency,
            )
        )
    for label, minor in (
        ("SUBTOTAL", invoice.subtotal_minor),
        ("DISCOUNT", invoice.discount_minor),
        ("TAX", invoice.tax_minor),
        ("TOTAL", invoice.total_minor),
        ("PAID", invoice.paid_minor),
        ("CREDITED", invoice.credited_minor),
        ("DUE", invoice.due_minor),
    ):
        writer.writerow(
            (
                number,
                label,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                document.amount(minor),
                invoice.currency,
            )
        )
    return out.getvalue()


class _Page(PrintedDocument):
    def __init__(self, font: Path | None) -> None:
        super().__init__(font, family=_FONT, page_format="A4", margin=15)

    def write(self, value: str, *, size: float = 10, align: str = "L") -> None:
        self.pdf.set_font(self.family, size=size)
        self.pdf.multi_cell(w=0, text=self.text(value), align=align, new_x="LMARGIN", new_y="NEXT")

    def row(self, cells: Sequence[str], *, size: float = 8.5, border: str = "B") -> None:
        self.pdf.set_font(self.family, size=size)
        for index, (cell, width) in enumerate(zip(cells, _WIDTHS, strict=True)):
            align = "L" if index < 2 else "R"
            self.pdf.cell(w=width, h=6, text=self.text(cell)[:60], border=border, align=align)
        self.pdf.ln(6)


def render_invoice_pdf(document: InvoiceDocument, settings: InvoiceSettings) -> bytes:
    """The invoice as a printable A4 PDF: hospital header, bill-to, lines, totals, QR to pay."""
    invoice, account = document.invoice, document.account
    page = _Page(settings.pdf_font)
    pdf = page.pdf
    pdf.set_title(document.title)
    pdf.set_subject(str(invoice.id))
    pdf.set_creator("healthgraph billing")
    page.write(settings.hospital_name, size=16)
    page.write(settings.hospital_address, size=9)
    pdf.ln(4)
    page.write(document.title.upper(), size=14)
    if invoice.status in (InvoiceStatus.DRAFT, InvoiceStatus.VOID):
        page.write(f"{invoice.status}: not a demand for payment", size=11)
    page.write(f"Status: {invoice.status}", size=9)
    if invoice.issued_at is not None:
        page.write(f"Issued: {invoice.issued_at:%Y-%m-%d}", size=9)
    if invoice.due_at is not None and invoice.kind == InvoiceKind.INVOICE:
        page.write(f"Due: {invoice.due_at:%Y-%m-%d}", size=9)
    if invoice.reason:
        page.write(f"Reason: {invoice.reason}", size=9)
    pdf.ln(3)
    payer = account.payer_name or "The patient"
    bill_to = [f"Bill to: {payer}", f"Patient: {account.patient_id}"]
    if account.payer_address:
        bill_to.append(account.payer_address)
    if account.insurer:
        bill_to.append(f"Insurer: {account.insurer}, policy {account.policy_number or '-'}")
    for text in bill_to:
        page.write(text, size=9)
    pdf.ln(4)
    page.row(("Code", "Description", "Qty", "Unit price", "Discount", "Tax %", "Total"), size=8.5)
    for line in document.lines:
        page.row(
            (
                line.service_code,
                line.description,
                str(line.quantity),
                document.amount(line.unit_price_minor),
                document.amount(line.discount_minor),
                f"{line.tax_rate_bp / 100:.2f}",
                document.amount(line.total_minor),
            ),
            border="",
        )
    pdf.ln(3)
    totals = [
        ("Subtotal", invoice.subtotal_minor),
        ("Discount", invoice.discount_minor),
        ("Tax", invoice.tax_minor),
        ("Total", invoice.total_minor),
    ]
    if invoice.kind == InvoiceKind.INVOICE:
        totals += [
            ("Paid", invoice.paid_minor),
            ("Credited", invoice.credited_minor),
            ("Amount due", invoice.due_minor),
        ]
    for label, minor in totals:
        page.write(f"{label}: {document.amount(minor)} {invoice.currency}", size=10, align="R")
    if invoice.kind == InvoiceKind.INVOICE and invoice.due_minor > 0:
        url = settings.payment_url.format(invoice_id=invoice.id)
        size = 40.0
        if pdf.get_y() + size + 12 > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.image(qr_png(url), x=(pdf.w - size) / 2, y=pdf.get_y() + 4, w=size, h=size)
        pdf.set_y(pdf.get_y() + size + 6)
        page.write(f"Scan to pay, or visit {url}", size=8, align="C")
    return bytes(pdf.output())
