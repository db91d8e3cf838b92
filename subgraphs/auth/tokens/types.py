"""GraphQL payload of sign-in steps."""

from __future__ import annotations

import strawberry

from subgraphs.auth.signin.service import SignIn
from subgraphs.auth.users.types import UserType

__all__ = ["AuthPayload"]


@strawberry.type
class AuthPayload:
    """Tokens, or a challenge: ``mfaRequired`` with an ``mfaToken`` for ``verifyMfa`` (or, when
    ``mfaEnrollmentRequired``, for ``enrollTotp`` and ``confirmTotp``)."""

    access_token: str | None
    refresh_token: str | None
    expires_in: int | None
    token_type: str | None
    mfa_required: bool
    mfa_enrollment_required: bool
    mfa_token: str | None
    # Send it back with the next ``login`` of this account: sign-ins from a known device are
    # spared the account lockout that anyone's wrong passwords can trigger.
    device_token: str | None
    user: UserType | None
    recovery_codes: list[str] | None

    @classmethod
    def from_sign_in(cls, result: SignIn) -> AuthPayload:
        show_user = result.signed_in or bool(result.recovery_codes)
        return cls(
            **result.token_fields(),
            user=UserType.from_row(result.user, signing_in=True) if show_user else None,
            recovery_codes=result.recovery_codes or None,
        )
