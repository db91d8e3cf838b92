"""``GET /oauth/{provider}/authorize`` and ``GET /oauth/{provider}/callback``."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import JSONResponse, RedirectResponse, Response

from subgraphs.auth.client import current_client_ip
from subgraphs.auth.oauth.service import authorization_url, complete_oauth_sign_in
from subgraphs.auth.rest import ErrorBody, LoginResponse, login_response
from subgraphs.auth.runtime import RuntimeDep

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
    async def authorize(provider: str, runtime: RuntimeDep) -> RedirectResponse:
        url = await authorization_url(runtime, provider_name=provider, ip=current_client_ip())
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
        result = await complete_oauth_sign_in(
            runtime,
            provider_name=provider,
            code=code,
            state=state,
            error=error,
            ip=current_client_ip(),
        )
        body = login_response(result).model_dump(by_alias=True, exclude_none=True)
        target = runtime.settings.oauth_success_redirect
        headers = {"cache-control": "no-store"}
        if target:
            fragment = urlencode(
                {key: str(value) for key, value in body.items() if not isinstance(value, dict)}
            )
            return RedirectResponse(f"{target}#{fragment}", status_code=302, headers=headers)
        return JSONResponse(body, headers=headers)

    return router
