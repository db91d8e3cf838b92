"""The QR code drawn from its SVG path data reads back as the otpauth URI."""

from __future__ import annotations

import re

import zxingcpp
from PIL import Image, ImageDraw

from subgraphs.auth.mfa.qrcode import qr_outline

URI = (
    "otpauth://totp/healthgraph:robin%40example.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    "&issuer=healthgraph"
)
SCALE = 6


def test_the_path_draws_a_readable_qr_code() -> None:
    outline = qr_outline(URI)
    image = Image.new("L", (outline.size * SCALE, outline.size * SCALE), 255)
    draw = ImageDraw.Draw(image)
    runs = re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", outline.path)
    assert "".join(f"M{x} {y}h{n}v1h-{n}z" for x, y, n in runs) == outline.path
    for x, y, n in runs:
        left, top = int(x) * SCALE, int(y) * SCALE
        draw.rectangle((left, top, left + int(n) * SCALE - 1, top + SCALE - 1), fill=0)
    decoded = [code.text for code in zxingcpp.read_barcodes(image)]
    assert decoded == [URI]


def test_the_quiet_zone_is_left_blank() -> None:
    outline = qr_outline(URI)
    xs = [int(x) for x in re.findall(r"M(\d+) ", outline.path)]
    ys = [int(y) for y in re.findall(r"M\d+ (\d+)", outline.path)]
    assert min(xs) == 4
    assert min(ys) == 4
    assert max(ys) == outline.size - 5
