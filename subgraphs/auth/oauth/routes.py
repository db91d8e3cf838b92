"""``GET /oauth/{provider}/authorize`` and ``GET /oauth/{provider}/callback``."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, RedirectResponse, Response

from subgraphs.auth.client import current_client_ip
from subgraphs.auth.oauth.service import (
    Callback,
    authorization_url,
    complete_oauth_sign_in,
    hand_off_oauth_sign_in,
)
from subgraphs.auth.rest import ErrorBody, LoginResponse, login_response
from subgraphs.auth.runtime import RuntimeDep
from subgraphs.common.errors import DomainError

__all__ = ["oauth_router"]


def oauth_router() -> APIRouter:
    router = APIRouter(prefix="/oauth", tags=["oauth"])

    @router.get(
        "/{provider}/authorize",
        status_code=302,
        response_class=RedirectResponse,
        responses={404: {"model": ErrorBody, "description": "No such provider"}},
        summary="Start signing in with an OAuth/OIDC provider",
    )
    async def authorize(
        provider: str,
        runtime: RuntimeDep,
        app_state: Annotated[
            str | None,
            Query(description="A browser app's random value, returned with its one-time code."),
        ] = None,
    ) -> RedirectResponse:
        url = await authorization_url(
            runtime, provider_name=provider, ip=current_client_ip(), app_state=app_state
        )
        return RedirectResponse(url, status_code=302, headers={"cache-control": "no-store"})

    @router.get(
        "/{provider}/callback",
        response_model=LoginResponse,
        response_model_by_alias=True,
        response_model_exclude_none=True,
        responses={
            401: {"model": ErrorBody, "description": "Bad state, code, nonce or unverified email"},
            409: {"model": ErrorBody, "description": "The email belongs to a password account"},
        },
        summary="The provider's redirect back: ends in our tokens (or our MFA challenge)",
    )
    async def callback(
        provider: str,
        runtime: RuntimeDep,
        code: str | None = None,
        state: str | None = None,
        error: str | None = None,
    ) -> Response:
        headers = {"cache-control": "no-store"}
        back = Callback(provider, code, state, error, current_client_ip())
        target = runtime.settings.oauth_success_redirect
        if target:
            # The browser app's way back: a one-time code in the fragment, never tokens (see
            # subgraphs/auth/oauth/service.py); a failure goes back too, in plain words.
            try:
                handoff = await hand_off_oauth_sign_in(runtime, callback=back)
            except DomainError as exc:
                fragment = urlencode({"error": exc.message})
            else:
                fragment = urlencode(
                    {"code": handoff.code}
                    | ({"state": handoff.app_state} if handoff.app_state else {})
                )
            return RedirectResponse(f"{target}#{fragment}", status_code=302, headers=headers)
        result = await complete_oauth_sign_in(runtime, callback=back)
        body = login_response(result).model_dump(by_alias=True, exclude_none=True)
        return JSONResponse(body, headers=headers)

    return router
