"""The auth service: ``uvicorn --factory subgraphs.auth.app:create_app`` (port 4001)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from subgraphs.auth.client import ClientAddressMiddleware
from subgraphs.auth.context import AuthContext
from subgraphs.auth.oauth.routes import oauth_router
from subgraphs.auth.ratelimit.guard import rate_limit_headers
from subgraphs.auth.rest import rest_router
from subgraphs.auth.runtime import AuthRuntime
from subgraphs.auth.schema import schema
from subgraphs.auth.settings import AuthSettings
from subgraphs.auth.tokens.verification import ActiveUserVerifier
from subgraphs.auth.tokens.wellknown import wellknown_router
from subgraphs.common.app import ServiceState, create_service_app
from subgraphs.common.errors import RateLimited
from subgraphs.common.tokens import JwtVerifier

__all__ = ["create_app"]


class _RuntimeSlot:
    """Holds the runtime the lifespan builds, for the context and the REST routes."""

    def __init__(self) -> None:
        self.runtime: AuthRuntime | None = None

    def get(self) -> AuthRuntime:
        if self.runtime is None:
            raise RuntimeError("the auth service is not started")
        return self.runtime


def create_app(settings: AuthSettings | None = None) -> FastAPI:
    settings = settings or AuthSettings()
    slot = _RuntimeSlot()

    @asynccontextmanager
    async def runtime_lifespan(app: FastAPI, state: ServiceState) -> AsyncIterator[None]:
        runtime = AuthRuntime.build(settings, state.database)
        await runtime.keys.ensure_active()
        slot.runtime = runtime
        app.state.auth = runtime
        state.verifier = ActiveUserVerifier(
            JwtVerifier(
                runtime.keys,
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                revocations=runtime.revocations,
            ),
            state.database,
        )
        try:
            yield
        finally:
            state.verifier = None
            slot.runtime = None
            await runtime.aclose()

    async def redis_ready() -> None:
        await slot.get().redis.ping()

    def context(**kwargs: Any) -> AuthContext:
        return AuthContext(runtime=slot.get(), **kwargs)

    app = create_service_app(
        title="healthgraph auth",
        settings=settings,
        schema=schema,
        lifespans=(runtime_lifespan,),
        readiness={"redis": redis_ready},
        context_class=context,
    )

    @app.exception_handler(RateLimited)
    async def rate_limited(_: Request, exc: RateLimited) -> JSONResponse:
        body = {"errors": [{"message": exc.message, "extensions": exc.as_extensions()}]}
        return JSONResponse(body, status_code=429, headers=rate_limit_headers(exc.retry_after))

    app.include_router(rest_router())
    app.include_router(wellknown_router())
    app.include_router(oauth_router())
    secret = settings.forwarded_secret
    if secret is None and settings.trusted_proxies:
        logging.getLogger("healthgraph.auth").warning(
            "HEALTHGRAPH_FORWARDED_SECRET is not set: X-Forwarded-For is never trusted, so "
            "every client behind the router shares the router's sign-in budget"
        )
    app.add_middleware(
        ClientAddressMiddleware,
        trusted_proxies=settings.trusted_proxies,
        secret=secret.get_secret_value().encode() if secret else None,
    )
    return app
