"""Helpers of printed documents (fpdf2 PDFs): Latin-1 fallback text and QR codes (segno)."""

from __future__ import annotations

import io
import unicodedata

import segno

__all__ = ["fallback_text", "qr_png"]

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
