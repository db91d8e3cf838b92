"""GraphQL types of TOTP enrolment."""

from __future__ import annotations

import strawberry

from subgraphs.auth.mfa.service import TotpEnrollment

__all__ = ["TotpEnrollmentType"]


@strawberry.type(name="TotpEnrollment")
class TotpEnrollmentType:
    """Scan ``qrCodeDataUri`` (a PNG) or enter ``secret``, then call ``confirmTotp`` with a code."""

    secret: str
    otpauth_uri: str
    qr_code_data_uri: str

    @classmethod
    def from_enrollment(cls, enrollment: TotpEnrollment) -> TotpEnrollmentType:
        return cls(
            secret=enrollment.secret,
            otpauth_uri=enrollment.otpauth_uri,
            qr_code_data_uri=enrollment.qr_code_data_uri,
        )
