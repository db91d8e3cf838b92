"""GraphQL types of TOTP enrolment."""

from __future__ import annotations

import strawberry

from subgraphs.auth.mfa.service import TotpEnrollment

__all__ = ["TotpEnrollmentType"]


@strawberry.type(name="TotpEnrollment")
class TotpEnrollmentType:
    """Scan the QR code or enter ``secret``, then call ``confirmTotp`` with a code. The QR code comes
    as a PNG data URI, and as SVG path data (``qrCodeSvgPath`` in a ``0 0 qrCodeSize qrCodeSize``
    view box) for pages whose Content-Security-Policy allows no data: images."""

    secret: str
    otpauth_uri: str
    qr_code_data_uri: str
    qr_code_size: int
    qr_code_svg_path: str

    @classmethod
    def from_enrollment(cls, enrollment: TotpEnrollment) -> TotpEnrollmentType:
        return cls(
            secret=enrollment.secret,
            otpauth_uri=enrollment.otpauth_uri,
            qr_code_data_uri=enrollment.qr_code_data_uri,
            qr_code_size=enrollment.qr_code.size,
            qr_code_svg_path=enrollment.qr_code.path,
        )
