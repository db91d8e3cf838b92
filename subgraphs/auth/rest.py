"""REST beside GraphQL: ``POST /login`` and ``POST /validate`` (documented in the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from subgraphs.auth.client import current_client_ip
from subgraphs.auth.runtime import RuntimeDep
from subgraphs.auth.signin import service as signin
from subgraphs.common.app import bearer_token
from subgraphs.common.errors import Unauthenticated

__all__ = ["rest_router"]


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class LoginRequest(_Camel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    device_token: str | None = Field(default=None, max_length=256)


class UserSummary(_Camel):
    id: str
    email: str
    display_name: str
    role: str


class LoginResponse(_Camel):
    access_token: str | None = None
    refresh_token: str | None = None
    expires_in: int | None = None
    token_type: str | None = None
    mfa_required: bool = False
    mfa_enrollment_required: bool = False
    mfa_token: str | None = None
    device_token: str | None = None
    user: UserSummary | None = None


class ValidateRequest(_Camel):
    token: str | None = Field(
        default=None, max_length=8192, description="Or send it as a Bearer token."
    )


class ValidateResponse(_Camel):
    active: bool
    claims: dict[str, Any]


class ErrorBody(BaseModel):
    errors: list[dict[str, Any]]


def login_response(result: signin.SignIn) -> LoginResponse:
    user = result.user
    summary = UserSummary(
        id=str(user.id), email=user.email, display_name=user.display_name, role=user.role.value
    )
    return LoginResponse(**result.token_fields(), user=summary if result.signed_in else None)


def rest_router() -> APIRouter:
    router = APIRouter(tags=["auth"])
    errors: dict[int | str, dict[str, Any]] = {
        401: {"model": ErrorBody, "description": "Invalid credentials or token (UNAUTHENTICATED)"},
        429: {
            "model": ErrorBody,
            "description": "Too many attempts; see Retry-After (RATE_LIMITED)",
        },
    }

    @router.post(
        "/login",
        response_model=LoginResponse,
        response_model_by_alias=True,
        response_model_exclude_none=True,
        responses=errors,
        summary="Sign in with email and password",
        description="Returns tokens, or `mfaRequired` with an `mfaToken` to finish with the "
        "GraphQL `verifyMfa` (or `enrollTotp`/`confirmTotp` when enrolment is required).",
    )
    async def login(body: LoginRequest, runtime: RuntimeDep) -> LoginResponse:
        result = await signin.login(
            runtime,
            email=body.email,
            password=body.password,
            ip=current_client_ip(),
            device_token=body.device_token,
        )
        return login_response(result)

    @router.post(
        "/validate",
        response_model=ValidateResponse,
        responses={401: errors[401]},
        summary="Validate an access token",
        description="200 with the token's claims when it is valid and its user active; 401 otherwise.",
    )
    async def validate(request: Request, body: ValidateRequest | None = None) -> ValidateResponse:
        token = (body.token if body else None) or bearer_token(request.headers.get("authorization"))
        if not token:
            raise Unauthenticated("No token was given.")
        verifier = request.app.state.service.verifier
        if verifier is None:
            raise Unauthenticated("This service cannot verify access tokens.")
        claims = await verifier.verify(token)
        return ValidateResponse(active=True, claims=dict(claims))

    return router
