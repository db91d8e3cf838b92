"""The printed prescription: a PDF that parses, shows the prescription, and whose QR verifies."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from subgraphs.clinical.prescriptions.document import render_prescription_pdf
from subgraphs.clinical.prescriptions.jws import parse_jws, sign_jws, signature_matches
from subgraphs.clinical.prescriptions.keys import SigningKey
from subgraphs.clinical.prescriptions.models import Prescription
from subgraphs.common.canonical import canonical_json

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _prescription(key: SigningKey, *, revoked: bool = False) -> Prescription:
    prescription_id = uuid.uuid4()
    document = {
        "typ": "healthgraph.prescription",
        "v": 1,
        "id": str(prescription_id),
        "issuer": "healthgraph-clinical",
        "issuedAt": "2026-11-21T10:00:00Z",
        "patient": {
            "id": str(uuid.uuid4()),
            "name": "Zoë Łukasiewicz",
            "mrn": "MRN-1",
            "birthDate": "1980-01-02",
        },
        "prescriber": {"id": str(uuid.uuid4()), "name": "Ada Sample", "licence": "LIC-9"},
        "medication": "Amoxicillin 500 mg capsules",
        "dose": "500 mg",
        "route": "ORAL",
        "frequency": "three times daily",
        "quantity": 21,
        "refills": 1,
        "instructions": "Take with water. " * 20,
    }
    payload = canonical_json(document)
    return Prescription(
        id=prescription_id,
        patient_id=uuid.UUID(document["patient"]["id"]),
        doctor_id=uuid.UUID(document["prescriber"]["id"]),
        medication=document["medication"],
        dose="500 mg",
        route="ORAL",
        frequency="three times daily",
        quantity=21,
        refills=1,
        instructions=document["instructions"],
        issued_at=datetime(2026, 11, 21, 10, tzinfo=UTC),
        issued_by="someone",
        payload=payload.decode(),
        jws=sign_jws(payload, key, typ="healthgraph-prescription+jws"),
        key_id=key.kid,
        revoked_at=datetime(2026, 11, 22, tzinfo=UTC) if revoked else None,
    )


@pytest.mark.parametrize("font", [UNICODE_FONT, None], ids=["unicode-font", "core-font"])
def test_pdf_parses_and_its_qr_code_carries_the_signed_prescription(font: Path | None) -> None:
    if font is not None and not font.is_file():
        pytest.skip(f"{font} is not installed")
    key = SigningKey.of(Ed25519PrivateKey.generate())
    prescription = _prescription(key)
    pdf = render_prescription_pdf(prescription, font=font)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == f"Prescription {prescription.id}"
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Amoxicillin 500 mg capsules" in text
    assert str(prescription.id) in text
    assert ("Zoë Łukasiewicz" if font else "Zoe Lukasiewicz") in text

    codes = [
        barcode.text
        for page in reader.pages
        for image in page.images
        for barcode in zxingcpp.read_barcodes(image.image)
    ]
    assert codes == [prescription.jws]
    parsed = parse_jws(codes[0])
    assert signature_matches(parsed, {key.kid: key.private_key.public_key()}.get)
    assert json.loads(parsed.payload)["id"] == str(prescription.id)


def test_revoked_prescription_says_so() -> None:
    key = SigningKey.of(Ed25519PrivateKey.generate())
    pdf = render_prescription_pdf(_prescription(key, revoked=True), font=None)
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "REVOKED on 2026-11-22" in text
