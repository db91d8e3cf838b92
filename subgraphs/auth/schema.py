"""The auth subgraph's GraphQL schema (Apollo Federation v2): the operation names are a contract."""

from __future__ import annotations

from collections.abc import Iterator

import strawberry
from strawberry.extensions import AddValidationRules, SchemaExtension

from subgraphs.auth import resolvers as r
from subgraphs.auth.limits import OneCredentialCheckPerRequest
from subgraphs.auth.mfa.types import TotpEnrollmentType
from subgraphs.auth.oauth.types import SignInProviderType
from subgraphs.auth.ratelimit.guard import rate_limit_headers
from subgraphs.auth.tokens.types import AuthPayload
from subgraphs.auth.users.types import UserConnection, UserType
from subgraphs.common.errors import RateLimited
from subgraphs.common.service_schema import ServiceSchema
from subgraphs.common.tokens import Scope

__all__ = ["Mutation", "Query", "RetryAfterHeader", "schema"]

field = strawberry.federation.field
USERS_READ = [[Scope.USERS_READ.value]]
USERS_WRITE = [[Scope.USERS_WRITE.value]]


@strawberry.type
class Query:
    me: UserType = field(resolver=r.me, authenticated=True, description="The signed-in user.")
    users: UserConnection = field(
        resolver=r.list_users,
        requires_scopes=USERS_READ,
        description="Users ordered by email; filter by role, status or a name/email search.",
    )
    sign_in_providers: list[SignInProviderType] = field(
        resolver=r.sign_in_providers,
        description="The identity providers people may sign in with (public: the sign-in page).",
    )


@strawberry.type
class Mutation:
    login: AuthPayload = field(
        resolver=r.login,
        description="Sign in with email and password: tokens, or an MFA challenge.",
    )
    verify_mfa: AuthPayload = field(
        resolver=r.verify_mfa, description="Complete a login with a TOTP or a recovery code."
    )
    complete_oauth_sign_in: AuthPayload = field(
        resolver=r.complete_oauth_sign_in,
        name="completeOAuthSignIn",
        description="Finish an OAuth/OIDC sign-in in a browser app: spend the one-time code the "
        "provider callback put in the app's URL fragment; tokens, or an MFA challenge.",
    )
    refresh_token: AuthPayload = field(
        resolver=r.refresh_token,
        description="Exchange a refresh token for new tokens (the refresh token is rotated).",
    )
    logout: bool = field(resolver=r.logout, description="Revoke a refresh token and its family.")
    enroll_totp: TotpEnrollmentType = field(
        resolver=r.enroll_totp,
        description="Start TOTP enrolment: signed in, or with the mfaToken of a forced enrolment.",
    )
    confirm_totp: AuthPayload = field(
        resolver=r.confirm_totp,
        description="Confirm TOTP enrolment with a current code: 10 recovery codes, shown once "
        "(and tokens, when finishing a forced enrolment).",
    )
    regenerate_recovery_codes: list[str] = field(
        resolver=r.regenerate_recovery_codes,
        requires_scopes=[[Scope.PROFILE_WRITE.value]],
        description="Replace your recovery codes with 10 new ones (shown once).",
    )
    create_user: UserType = field(
        resolver=r.create_user, requires_scopes=USERS_WRITE, description="Admin: create a user."
    )
    update_user_role: UserType = field(
        resolver=r.update_user_role,
        requires_scopes=USERS_WRITE,
        description="Admin: change a role.",
    )
    disable_user: UserType = field(
        resolver=r.disable_user, requires_scopes=USERS_WRITE, description="Admin: disable a user."
    )
    reset_mfa: UserType = field(
        resolver=r.reset_mfa,
        requires_scopes=USERS_WRITE,
        description="Admin: remove a user's MFA so they must enrol again.",
    )


class RetryAfterHeader(SchemaExtension):
    """A RATE_LIMITED error also sets the HTTP ``Retry-After`` and ``RateLimit`` headers."""

    def on_operation(self) -> Iterator[None]:
        yield
        errors = getattr(self.execution_context.result, "errors", None) or []
        waits = [
            error.original_error.retry_after
            for error in errors
            if isinstance(error.original_error, RateLimited)
        ]
        response = getattr(self.execution_context.context, "response", None)
        if waits and response is not None:
            response.headers.update(rate_limit_headers(max(waits)))


# Operation limits come with ServiceSchema (AuthSettings tightens depth and aliases).
schema = ServiceSchema(
    query=Query,
    mutation=Mutation,
    types=[UserType],
    extensions=[RetryAfterHeader, lambda: AddValidationRules([OneCredentialCheckPerRequest])],
)
