"""A QR code (ISO/IEC 18004, made by segno) as the outline of its dark modules, for an SVG ``<path>``.

The web app draws it as ``<svg viewBox="0 0 size size"><path d=path/></svg>``: no image URL, so its
Content-Security-Policy needs no ``img-src data:``, and no markup is injected into the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import segno

__all__ = ["QrOutline", "qr_outline"]

BORDER = 4  # the quiet zone the standard asks for, in modules


@dataclass(frozen=True, slots=True)
class QrOutline:
    size: int  # modules per side, quiet zone included
    path: str  # SVG path data: one rectangle per horizontal run of dark modules


def qr_outline(data: str) -> QrOutline:
    code = segno.make(data, error="m")
    size = int(code.symbol_size(scale=1, border=BORDER)[0])
    parts: list[str] = []
    for y, row in enumerate(code.matrix_iter(scale=1, border=BORDER)):
        x = 0
        cells = list(row)
        while x < size:
            if not cells[x]:
                x += 1
                continue
            start = x
            while x < size and cells[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return QrOutline(size=size, path="".join(parts))
