"""The FastAPI application every subgraph runs: GraphQL, health, database and outbox relay."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.requests import HTTPConnection
from strawberry.fastapi import GraphQLRouter

from router.telemetry import configure_logging, configure_tracing, tracing
from subgraphs.common.context import Caller, RequestContext
from subgraphs.common.database import Database
from subgraphs.common.errors import DomainError, Unauthenticated
from subgraphs.common.health import ReadinessCheck, broker_reachable, health_router
from subgraphs.common.http import ServiceGraphQLRouter
from subgraphs.common.outbox.relay import OutboxRelayHook
from subgraphs.common.service_schema import ServiceSchema
from subgraphs.common.settings import ServiceSettings
from subgraphs.common.state import Lifespan, ServiceState
from subgraphs.common.telemetry import TelemetryMiddleware, metrics_endpoint, trace_sql

__all__ = ["Lifespan", "ServiceState", "bearer_token", "caller_of", "create_service_app"]

REQUEST_ID_HEADER = "x-request-id"


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None when there is no header."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <token>'.")
    return token.strip()


async def caller_of(state: ServiceState, authorization: str | None) -> Caller:
    """The caller an ``Authorization`` header names (anonymous without one; UNAUTHENTICATED
    when its token does not verify)."""
    token = bearer_token(authorization)
    if token is None:
        return Caller.anonymous()
    if state.verifier is None:
        raise Unauthenticated("This service cannot verify access tokens.")
    return Caller.from_claims(await state.verifier.verify(token))


def create_service_app(
    *,
    title: str,
    settings: ServiceSettings,
    schema: ServiceSchema,
    lifespans: tuple[Lifespan, ...] = (),
    readiness: dict[str, ReadinessCheck] | None = None,
    context_class: Callable[..., RequestContext] = RequestContext,
    outbox_relay: OutboxRelayHook | None = None,
) -> FastAPI:
    """A service app: ``/graphql`` (HTTP and graphql-transport-ws), ``/health`` and ``/ready``.

    Every service runs the outbox relay for its database (first to start, last to stop);
    ``outbox_relay`` replaces the default hook, e.g. to tune its timings.
    ``lifespans`` run in order after it and stop in reverse order; they start consumers, the
    token verifier and whatever else the service owns.
    """
    service = title.rsplit(" ", 1)[-1]  # "healthgraph clinical" -> "clinical"
    configure_logging(service=service, production=settings.production, level=settings.log_level)
    configure_tracing(service)
    database = Database.from_settings(settings)
    if tracing.enabled:
        trace_sql(database.engine.sync_engine)
    state = ServiceState(settings, database)
    relay = outbox_relay or OutboxRelayHook()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            stack.push_async_callback(database.dispose)
            hooks: tuple[Lifespan, ...] = (relay, *lifespans)
            for extra in hooks:
                await stack.enter_async_context(extra(app, state))
            yield

    limits = settings.operation_limits

    async def context_getter(connection: HTTPConnection) -> RequestContext:
        headers = connection.headers
        request_id = headers.get(REQUEST_ID_HEADER) or str(uuid.uuid4())
        caller = await caller_of(state, headers.get("authorization"))
        context = context_class(caller=caller, database=database, request_id=request_id)
        context.limits = limits
        return context

    graphql: GraphQLRouter[Any, Any] = ServiceGraphQLRouter(
        schema,
        timeout=limits.timeout,
        context_getter=context_getter,
        graphql_ide=None if settings.production else "graphiql",
    )
    app = FastAPI(title=title, lifespan=lifespan, docs_url=None if settings.production else "/docs")
    app.state.service = state

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        # Raised before GraphQL execution (e.g. a bad token while building the context).
        body = {"errors": [{"message": exc.message, "extensions": exc.as_extensions()}]}
        return JSONResponse(body, status_code=exc.http_status)

    app.include_router(graphql, prefix="/graphql")
    checks: dict[str, Callable[[], Awaitable[None]]] = {
        "database": database.ping,
        "broker": lambda: broker_reachable(settings.kafka_bootstrap_servers),
        "outbox": relay.check_ready,
        **(readiness or {}),
    }
    app.include_router(health_router(checks))
    app.include_router(metrics_endpoint())
    app.add_middleware(TelemetryMiddleware, request_id_header=REQUEST_ID_HEADER)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        # Browsers opening GraphiQL ask for one: answer "none", cached, instead of a logged 404.
        return Response(status_code=204, headers={"cache-control": "public, max-age=86400"})

    return app
