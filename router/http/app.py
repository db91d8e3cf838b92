"""The router's HTTP front (GraphQL over HTTP, https://graphql.github.io/graphql-over-http/draft/)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from router.auth import Authenticator
from router.authorization import Authorizer
from router.execution import SubgraphClient
from router.http.forwarded import ForwardedHeaders
from router.http.negotiation import prefers_html
from router.http.playground import Playground
from router.http.reload import SupergraphReloader
from router.pipeline import RequestError, Stage, SupergraphRequest, SupergraphService
from router.pipeline.authentication import AuthenticationStage
from router.settings import RouterSettings
from router.supergraph import Supergraph, parse_supergraph
from router.supergraph.overrides import with_subgraph_urls

__all__ = ["create_app"]

logger = logging.getLogger("router.http")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


# RFC 9110 (Allow), RFC 6750 section 3 (WWW-Authenticate for a refused bearer token)
_ERROR_HEADERS = {405: {"allow": "POST"}, 401: {"www-authenticate": 'Bearer error="invalid_token"'}}


def _media_type(request: Request) -> str:
    accept = request.headers.get("accept", "")
    if GRAPHQL_RESPONSE in accept:
        return GRAPHQL_RESPONSE
    return JSON


def _json(body: Any, status: int, media_type: str) -> Response:
    return Response(
        orjson.dumps(body), status_code=status, media_type=f"{media_type}; charset=utf-8"
    )


def _error(message: str, code: str, status: int, media_type: str) -> Response:
    return _json(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status, media_type
    )


async def _read_params(request: Request, max_bytes: int) -> dict[str, Any]:
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        for name in ("variables", "extensions"):
            if isinstance(params.get(name), str):
                try:
                    params[name] = orjson.loads(params[name])
                except orjson.JSONDecodeError as error:
                    raise RequestError(f"'{name}' is not valid JSON", "BAD_REQUEST") from error
        return params
    content_type = request.headers.get("content-type", "")
    body = await request.body()
    if len(body) > max_bytes:
        raise RequestError("Request body is too large.", "REQUEST_TOO_LARGE", status=413)
    if content_type.startswith("application/graphql") and "json" not in content_type:
        return {"query": body.decode("utf-8", errors="replace")}
    if "json" not in content_type:
        raise RequestError(
            "Content-Type must be application/json.", "UNSUPPORTED_MEDIA_TYPE", status=415
        )
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise RequestError("The request body is not valid JSON.", "BAD_REQUEST") from error
    if not isinstance(parsed, dict):
        raise RequestError("The request body must be a JSON object.", "BAD_REQUEST")
    return parsed


def _retry_after(errors: Sequence[dict[str, Any]]) -> int | None:
    """The longest ``retryAfter`` a subgraph gave with a RATE_LIMITED error (RFC 9110 Retry-After)."""
    waits = [
        extensions["retryAfter"]
        for error in errors
        if isinstance(extensions := error.get("extensions"), dict)
        and extensions.get("code") == "RATE_LIMITED"
        and isinstance(extensions.get("retryAfter"), int)
    ]
    return max(waits) if waits else None


def _supergraph_request(
    request: Request,
    params: dict[str, Any],
    settings: RouterSettings,
    forwarded: ForwardedHeaders,
) -> SupergraphRequest:
    query = params.get("query")
    if not isinstance(query, str) or not query.strip():
        raise RequestError("Must provide query string.", "BAD_REQUEST")
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError("'operationName' must be a string.", "BAD_REQUEST")
    variables = params.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError("'variables' must be an object.", "BAD_REQUEST")
    extensions = params.get("extensions")
    headers: dict[str, str] = {}
    for name in settings.propagate_headers:
        value = request.headers.get(name)
        if value is not None:
            headers[name] = value
    request_id = request.headers.get(settings.request_id_header) or uuid.uuid4().hex
    headers[settings.request_id_header] = request_id
    peer = request.client.host if request.client else None
    headers.update(forwarded.headers(peer, request.url.scheme, request.headers))
    return SupergraphRequest(
        query=query,
        operation_name=operation_name or None,
        variables=variables or {},
        extensions=extensions if isinstance(extensions, dict) else {},
        headers=headers,
        method=request.method,
        context={
            "request_id": request_id,
            "authorization": request.headers.get("authorization"),
            "expose_query_plan": settings.expose_query_plan
            and request.headers.get("x-expose-query-plan") == "true",
        },
    )


class _Front:
    """The running router: the current supergraph service, its reloader and the handlers."""

    def __init__(
        self,
        supergraph: Supergraph,
        settings: RouterSettings,
        stages: Sequence[Stage],
        supergraph_path: Path | None,
    ) -> None:
        self.supergraph = supergraph
        self.settings = settings
        self.stages = tuple(stages)
        self.supergraph_path = supergraph_path
        # JWT authentication when an issuer is configured: the first stage of every request
        self.authenticator: Authenticator | None = None
        issuers = settings.issuers()
        if issuers:
            self.authenticator = Authenticator(
                issuers,
                leeway=settings.jwt_leeway,
                redis_url=settings.revocation_redis_url,
                jwks_refresh_interval=settings.jwks_refresh_interval,
                jwks_min_refresh_interval=settings.jwks_min_refresh_interval,
            )
            stage = AuthenticationStage(self.authenticator, settings.claim_headers)
            self.stages = (stage, *self.stages)
        self.playground = Playground() if settings.playground_enabled else None
        secret = settings.forwarded_secret
        self.forwarded = ForwardedHeaders(
            settings.trusted_proxies, secret.get_secret_value().encode() if secret else None
        )
        self.service: SupergraphService | None = None
        self.reloader: SupergraphReloader[SupergraphService] | None = None
        self.offload: ThreadPoolExecutor | None = None
        self.ready = False
        self.worker: int | None = None  # this process's number under `--workers N`

    def build_service(self, graph: Supergraph, client: SubgraphClient) -> SupergraphService:
        """A service (planner, plan cache, executor, shaper) for one supergraph."""
        settings = self.settings
        if settings.subgraph_urls:
            graph = with_subgraph_urls(graph, settings.subgraph_urls)
        return SupergraphService(
            graph,
            client,
            plan_cache_size=settings.plan_cache_size,
            subgraph_timeout=settings.subgraph_timeout,
            subgraph_timeouts=settings.subgraph_timeouts,
            stages=self.stages,
            operation_limits=settings.operation_limits(),
            planning_limits=settings.planning_limits(),
            offload=self.offload,
            authorizer=Authorizer(
                graph,
                settings.authorization.policy_set(),
                reject_unauthorized=settings.authorization.reject_unauthorized,
            )
            if settings.authorization_enabled
            else None,
        )

    def swap(self, service: SupergraphService) -> None:
        """New requests use `service`; requests in flight keep the one they started with."""
        self.service = service

    @asynccontextmanager
    async def lifespan(self, _: Starlette) -> AsyncIterator[None]:
        settings = self.settings
        client = SubgraphClient(
            timeout=settings.subgraph_timeout,
            max_connections=settings.max_connections,
            deduplicate=settings.query_deduplication,
            dedup_ignored_headers=settings.dedup_ignored(),
        )
        self.offload = ThreadPoolExecutor(settings.planning_threads, "router-planning")
        self.service = self.build_service(self.supergraph, client)
        if self.authenticator is not None:
            self.authenticator.start()
        watcher: asyncio.Task[None] | None = None
        if self.supergraph_path is not None and settings.supergraph_poll_interval > 0:
            self.reloader = SupergraphReloader(
                self.supergraph_path,
                build=lambda sdl: self.build_service(parse_supergraph(sdl), client),
                apply=self.swap,
                interval=settings.supergraph_poll_interval,
            )
            watcher = asyncio.create_task(self.reloader.run(), name="supergraph-reload")
        self.ready = True
        try:
            yield
        finally:
            self.ready = False
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            await client.aclose()
            if self.authenticator is not None:
                await self.authenticator.aclose()
            self.offload.shutdown(wait=False, cancel_futures=True)

    async def graphql(self, request: Request) -> Response:
        if request.method != "GET":
            return await self._execute(request)
        if self.playground is not None and prefers_html(request.headers.get("accept", "")):
            return self.playground.page(request)
        response = await self._execute(request)
        response.headers["vary"] = "accept"  # the same URL answers JSON or (for browsers) HTML
        return response

    async def _execute(self, request: Request) -> Response:
        media_type = _media_type(request)
        service = self.service
        assert service is not None, "the lifespan builds the service before serving"
        settings = self.settings
        try:
            params = await _read_params(request, settings.max_request_bytes)
            supergraph_request = _supergraph_request(request, params, settings, self.forwarded)
            response = await service.handle(supergraph_request)
        except RequestError as error:
            headers = _ERROR_HEADERS.get(error.status)
            result = _json({"errors": error.errors()}, error.status, media_type)
            if headers:
                result.headers.update(headers)
            return result
        except Exception:
            logger.exception("unexpected error while serving a GraphQL request")
            return _error("Internal server error", "INTERNAL_SERVER_ERROR", 500, media_type)
        result = _json(response.body(), 200, media_type)
        result.headers[settings.request_id_header] = supergraph_request.context["request_id"]
        retry_after = _retry_after(response.errors)
        if retry_after is not None:  # RFC 9110; draft-ietf-httpapi-ratelimit-headers
            result.headers["retry-after"] = str(retry_after)
            result.headers["ratelimit"] = f'"subgraph";r=0;t={retry_after}'
        return result

    async def health(self, _: Request) -> Response:
        if self.ready:
            if self.worker is not None:  # which of the `--workers` processes answered
                return _json({"status": "UP", "worker": self.worker, "pid": os.getpid()}, 200, JSON)
            return _json({"status": "UP"}, 200, JSON)
        return _json({"status": "DOWN"}, 503, JSON)


async def _favicon(_: Request) -> Response:
    """Browsers opening the playground ask for one: answer "none", cached, instead of a 404."""
    return Response(status_code=204, headers={"cache-control": "public, max-age=86400"})


def create_app(
    supergraph: Supergraph,
    settings: RouterSettings,
    stages: Sequence[Stage] = (),
    *,
    supergraph_path: Path | None = None,
) -> Starlette:
    """The ASGI application serving `/graphql` (and its playground) and `/health`.

    With `supergraph_path`, the file is watched and a changed supergraph replaces the running
    one for new requests (requests in flight finish on the one they started with).
    """
    front = _Front(supergraph, settings, stages, supergraph_path)
    routes = [
        Route("/graphql", front.graphql, methods=["GET", "POST"]),
        Route("/health", front.health, methods=["GET"]),
        Route("/favicon.ico", _favicon, methods=["GET"]),
    ]
    if front.playground is not None:
        routes.extend(front.playground.routes())
    app = Starlette(routes=routes, lifespan=front.lifespan)
    app.state.front = front
    return app
