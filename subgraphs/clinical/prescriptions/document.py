"""The printable prescription: a PDF (fpdf2) with a QR code (segno) carrying the signed JWS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from subgraphs.clinical.prescriptions.models import Prescription
from subgraphs.common.printing import PrintedDocument, qr_png

__all__ = ["render_prescription_pdf"]

_FONT = "rx"


class _Sheet(PrintedDocument):
    def __init__(self, font: Path | None) -> None:
        super().__init__(font, family=_FONT, page_format=(148, 210), margin=12)  # A5

    def heading(self, value: str) -> None:
        self.pdf.set_font(self.family, size=15)
        self.pdf.cell(text=self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def line(self, label: str, value: str) -> None:
        self.pdf.set_font(self.family, size=8)
        self.pdf.cell(text=self.text(label.upper()), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font(self.family, size=10.5)
        self.pdf.multi_cell(w=0, text=self.text(value or "-"), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)


def render_prescription_pdf(prescription: Prescription, *, font: Path | None = None) -> bytes:
    """The prescription as printed from its signed payload, with the JWS as a QR code.

    Everything shown comes from the signed document, so the paper and the QR code agree; a
    pharmacist scans the code and asks ``verifyPrescription`` (or checks the JWS offline
    against the published keys).
    """
    document: dict[str, Any] = json.loads(prescription.payload)
    patient = document["patient"]
    prescriber = document["prescriber"]
    sheet = _Sheet(font)
    sheet.pdf.set_title(f"Prescription {prescription.id}")
    sheet.pdf.set_subject(str(prescription.id))
    sheet.pdf.set_creator("healthgraph clinical")
    sheet.heading("Prescription")
    sheet.line("Prescription id", document["id"])
    sheet.line("Issued", document["issuedAt"])
    born = f", born {patient['birthDate']}" if patient.get("birthDate") else ""
    mrn = f" (MRN {patient['mrn']})" if patient.get("mrn") else ""
    sheet.line("Patient", f"{patient['name']}{born}{mrn}")
    licence = f", licence {prescriber['licence']}" if prescriber.get("licence") else ""
    sheet.line("Prescriber", f"{prescriber['name']}{licence}")
    sheet.line("Medication", document["medication"])
    sheet.line(
        "Dose, route and frequency",
        f"{document['dose']}, {document['route'].lower()}, {document['frequency']}",
    )
    sheet.line("Quantity and refills", f"{document['quantity']}, {document['refills']} refill(s)")
    sheet.line("Instructions", document["instructions"])
    if prescription.revoked_at is not None:
        sheet.line("Status", f"REVOKED on {prescription.revoked_at:%Y-%m-%d}")

    image = qr_png(prescription.jws)
    size = 62.0
    pdf = sheet.pdf
    if pdf.get_y() + size + 14 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(image, x=(pdf.w - size) / 2, y=pdf.get_y() + 2, w=size, h=size)
    pdf.set_y(pdf.get_y() + size + 4)
    pdf.set_font(sheet.family, size=7)
    pdf.multi_cell(
        w=0,
        text=sheet.text(
            f"Signed with Ed25519 key {prescription.key_id}. Scan to verify: the code holds "
            "the signed prescription (JWS)."
        ),
        align="C",
    )
    return bytes(pdf.output())
