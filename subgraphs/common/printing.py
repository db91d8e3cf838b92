"""Helpers of printed documents (fpdf2 PDFs): Latin-1 fallback text and QR codes (segno)."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import segno
from fpdf import FPDF

__all__ = ["PrintedDocument", "fallback_text", "qr_png"]

# Latin letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSABLE = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "\u0131": "i",
        "Œ": "OE",
        "œ": "oe",
    }
)


def fallback_text(text: str) -> str:
    """Latin-1 text for the core font when no Unicode font is installed (accents kept if possible)."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return stripped.encode("latin-1", "replace").decode("latin-1")
    return text


def qr_png(data: str) -> io.BytesIO:
    """``data`` as a QR code (error correction M), a PNG image ready for ``FPDF.image``."""
    qr = segno.make(data, error="m", micro=False)
    image = io.BytesIO()
    qr.save(image, kind="png", scale=4, border=4)
    image.seek(0)
    return image


class PrintedDocument:
    """An fpdf2 document in millimetres with its first page: the Unicode TrueType ``font`` when
    the file exists (registered as ``family``), else the core Helvetica with Latin-1 text."""

    def __init__(
        self,
        font: Path | None,
        *,
        family: str,
        page_format: str | tuple[float, float],
        margin: float,
    ) -> None:
        self.pdf = FPDF(unit="mm", format=page_format)
        self.pdf.set_auto_page_break(auto=True, margin=margin)
        self.pdf.set_margins(margin, margin, margin)
        self.unicode = font is not None and font.is_file()
        if self.unicode:
            assert font is not None
            self.pdf.add_font(family, fname=str(font))
        self.family = family if self.unicode else "helvetica"
        self.pdf.add_page()

    def text(self, value: str) -> str:
        """``value`` as the font can print it."""
        return value if self.unicode else fallback_text(value)
