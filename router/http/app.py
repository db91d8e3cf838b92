"""The router's HTTP front (GraphQL over HTTP, https://graphql.github.io/graphql-over-http/draft/)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from router.auth import Authenticator
from router.authorization import Authorizer
from router.execution import SubgraphClient
from router.http.batch import batch_items
from router.http.csrf import check_csrf
from router.http.forwarded import ForwardedHeaders
from router.http.guards import build_persisted_queries, build_rate_limiter, cors_middleware
from router.http.negotiation import prefers_html
from router.http.oauth_relay import AUTH_SUBGRAPH, OAuthRelay, auth_origin
from router.http.params import supergraph_request
from router.http.playground import Playground
from router.http.reload import SupergraphReloader
from router.http.sessions import SubscriptionRuntime
from router.http.streams import stream_kind, stream_response
from router.http.webapp import WebApp
from router.http.websocket import GraphQLWebSocket
from router.hygiene import scrub_errors
from router.pipeline import RequestError, Stage, SupergraphRequest, SupergraphService
from router.pipeline.authentication import AuthenticationStage
from router.pipeline.socket_auth import (
    ForwardingAuthenticator,
    SocketAuthenticator,
    SocketAuthError,
    VerifyingAuthenticator,
)
from router.pipeline.telemetry import TelemetryStage, observe
from router.ratelimit import Subject
from router.ratelimit.limiter import RESPONSE_HEADERS
from router.settings import RouterSettings
from router.supergraph import Supergraph, parse_supergraph
from router.supergraph.overrides import with_subgraph_urls
from router.telemetry.prometheus import CONTENT_TYPE as METRICS_CONTENT_TYPE
from router.telemetry.prometheus import metrics_response_body
from router.telemetry.tracing import tracing

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


async def _read_body(request: Request, max_bytes: int) -> bytes:
    """The body, refused (HTTP 413) as soon as it is known to be over `max_bytes`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise RequestError("Request body is too large.", "REQUEST_TOO_LARGE", status=413)
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise RequestError("Request body is too large.", "REQUEST_TOO_LARGE", status=413)
        chunks.append(chunk)
    return b"".join(chunks)


async def _read_params(request: Request, max_bytes: int) -> dict[str, Any] | list[Any]:
    """GET parameters, or the POST body: one request (an object) or a batch (an array)."""
    if request.method == "GET":
        if len(request.url.query) > max_bytes:
            raise RequestError("Request URI is too long.", "REQUEST_TOO_LARGE", status=414)
        params: dict[str, Any] = dict(request.query_params)
        for name in ("variables", "extensions"):
            if isinstance(params.get(name), str):
                try:
                    params[name] = orjson.loads(params[name])
                except orjson.JSONDecodeError as error:
                    raise RequestError(f"'{name}' is not valid JSON", "BAD_REQUEST") from error
        return params
    content_type = request.headers.get("content-type", "")
    body = await _read_body(request, max_bytes)
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
    if not isinstance(parsed, dict | list):
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
    peer = request.client.host if request.client else None
    return supergraph_request(
        params,
        headers=request.headers,
        peer=peer,
        scheme=request.url.scheme,
        method=request.method,
        settings=settings,
        forwarded=forwarded,
    )


def _one_operation(payload: dict[str, Any] | list[Any]) -> dict[str, Any]:
    """A streamed (multipart or SSE) request's one operation: a batch cannot be streamed."""
    if isinstance(payload, list):
        raise RequestError("A batch cannot be streamed.", "BAD_REQUEST")
    return payload


def _verified_subject(request: SupergraphRequest) -> str | None:
    """Whose per-user rate limit a request takes: its verified JWT's ``sub`` (anonymous: none)."""
    return request.claims.subject if request.claims is not None else None


class _Front:
    """The running router: the current supergraph service, its reloader and the handlers."""

    def __init__(
        self,
        supergraph: Supergraph,
        settings: RouterSettings,
        stages: Sequence[Stage],
        supergraph_path: Path | None,
        socket_authenticator: SocketAuthenticator,
        subject: Subject | None = None,
    ) -> None:
        self.supergraph = supergraph
        self.settings = settings
        self.redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
        self.persisted = build_persisted_queries(settings, self.redis)
        limiter = build_rate_limiter(settings, self.redis, subject or _verified_subject)
        # after the caller's stages, so that authentication has named the user
        self.stages = (*stages, *((limiter,) if limiter is not None else ()))
        if tracing.enabled:  # names the request's span after its operation
            self.stages = (TelemetryStage(), *self.stages)
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
            if isinstance(socket_authenticator, ForwardingAuthenticator):
                # subscriptions are verified at the edge too, not only by the subgraph
                socket_authenticator = VerifyingAuthenticator(self.authenticator)
        self.playground = Playground() if settings.playground_enabled else None
        secret = settings.forwarded_secret
        self.forwarded = ForwardedHeaders(
            settings.trusted_proxies, secret.get_secret_value().encode() if secret else None
        )
        self.service: SupergraphService | None = None
        # auth's OAuth browser endpoints, on auth's origin in the current supergraph
        self.oauth = OAuthRelay(
            lambda: auth_origin(self.current_service().supergraph),
            self.forwarded,
            timeout=settings.subgraph_timeouts.get(AUTH_SUBGRAPH, settings.subgraph_timeout),
        )
        self.reloader: SupergraphReloader[SupergraphService] | None = None
        self.offload: ThreadPoolExecutor | None = None
        self.ready = False
        self.worker: int | None = None  # this process's number under `--workers N`
        self.subscriptions = SubscriptionRuntime(
            settings,
            self.current_service,
            socket_authenticator,
            self.forwarded,
            persisted=self.persisted,
        )

    def current_service(self) -> SupergraphService:
        service = self.service
        assert service is not None, "the lifespan builds the service before serving"
        return service

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
            cost_limits=settings.cost_limits(),
            introspection=settings.introspection_enabled,
            suggestions=settings.suggestions_enabled,
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
            if not self.subscriptions.closing:
                await self.subscriptions.drain()
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            await client.aclose()
            await self.oauth.aclose()
            if self.authenticator is not None:
                await self.authenticator.aclose()
            if self.redis is not None:
                await self.redis.aclose()
            self.offload.shutdown(wait=False, cancel_futures=True)

    async def graphql(self, request: Request) -> Response:
        kind = stream_kind(request.headers.get("accept", ""))
        if kind is not None:
            return await self._stream(request, kind)
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
            if settings.csrf_prevention:
                check_csrf(request.headers, settings.csrf_required_headers)
            payload = await _read_params(request, settings.max_request_bytes)
            if isinstance(payload, list):
                items = batch_items(
                    payload, enabled=settings.batching, max_size=settings.max_batch_size
                )
                answers = [await self._one(request, item, service) for item in items]
                headers: dict[str, str] = {}
                for _, _, answer_headers in answers:  # the last rate-limit state is current
                    headers.update(answer_headers)
                result = _json([body for body, _, _ in answers], 200, media_type)
                result.headers.update(headers)
                return result
        except RequestError as error:
            return self._answer(*self._refusal(error), media_type)
        return self._answer(*await self._one(request, payload, service), media_type)

    def _answer(
        self, body: dict[str, Any], status: int, headers: dict[str, str], media_type: str
    ) -> Response:
        result = _json(body, status, media_type)
        result.headers.update(headers)
        return result

    def _refusal(self, error: RequestError) -> tuple[dict[str, Any], int, dict[str, str]]:
        headers = dict(_ERROR_HEADERS.get(error.status, {}))
        headers.update(error.headers)
        errors = error.errors()
        if self.settings.production:
            errors = scrub_errors(errors)
        return {"errors": errors}, error.status, headers

    async def _one(
        self, request: Request, params: dict[str, Any], service: SupergraphService
    ) -> tuple[dict[str, Any], int, dict[str, str]]:
        """One operation's answer: body, HTTP status and headers."""
        settings = self.settings
        with observe(request.headers, params.get("operationName")) as observation:
            try:
                params = await self.persisted.resolve(params)
                supergraph_request = _supergraph_request(request, params, settings, self.forwarded)
                observation.identify(supergraph_request)
                response = await service.handle(supergraph_request)
            except RequestError as error:
                observation.outcome = "refused"
                return self._refusal(error)
            except Exception:
                logger.exception("unexpected error while serving a GraphQL request")
                internal = RequestError(
                    "Internal server error", "INTERNAL_SERVER_ERROR", status=500
                )
                return self._refusal(internal)
            observation.outcome = "error" if response.errors else "ok"
        if settings.production and response.errors:
            response.errors = scrub_errors(response.errors)
        headers = {settings.request_id_header: supergraph_request.context["request_id"]}
        headers.update(supergraph_request.context.get(RESPONSE_HEADERS, {}))
        retry_after = _retry_after(response.errors)
        if retry_after is not None:  # RFC 9110; draft-ietf-httpapi-ratelimit-headers
            headers["retry-after"] = str(retry_after)
            headers["ratelimit"] = f'"subgraph";r=0;t={retry_after}'
        return response.body(), 200, headers

    async def _stream(self, request: Request, kind: str) -> Response:
        """A subscription over multipart HTTP or SSE (queries and mutations answer once)."""
        media_type = _media_type(request)
        runtime = self.subscriptions
        if runtime.closing:
            refusal = RequestError("The router is restarting.", "SHUTTING_DOWN", status=503)
            return self._answer(*self._refusal(refusal), media_type)
        try:
            identity = await runtime.authenticator.authenticate(None, request.headers)
        except SocketAuthError as error:
            status = 403 if error.close_code == 4403 else 401
            refusal = RequestError(error.message, "UNAUTHENTICATED", status=status)
            return self._answer(*self._refusal(refusal), media_type)
        try:
            if self.settings.csrf_prevention and request.method != "GET":
                # GET carries no mutation here (EventSource cannot send a preflight header)
                check_csrf(request.headers, self.settings.csrf_required_headers)
            params = _one_operation(await _read_params(request, self.settings.max_request_bytes))
            peer = request.client.host if request.client else None
            started = await runtime.start(
                params, identity, request.headers, peer, request.url.scheme, request.method
            )
        except RequestError as error:
            return self._answer(*self._refusal(error), media_type)
        except Exception:
            logger.exception("unexpected error while starting a subscription")
            internal = RequestError("Internal server error", "INTERNAL_SERVER_ERROR", status=500)
            return self._answer(*self._refusal(internal), media_type)
        return stream_response(kind, started, identity, runtime, request)

    async def websocket(self, websocket: WebSocket) -> None:
        await GraphQLWebSocket(self.subscriptions, websocket).serve()

    async def health(self, _: Request) -> Response:
        if self.ready:
            if self.worker is not None:  # which of the `--workers` processes answered
                return _json({"status": "UP", "worker": self.worker, "pid": os.getpid()}, 200, JSON)
            return _json({"status": "UP"}, 200, JSON)
        return _json({"status": "DOWN"}, 503, JSON)


async def _favicon(_: Request) -> Response:
    """Browsers opening the playground ask for one: answer "none", cached, instead of a 404."""
    return Response(status_code=204, headers={"cache-control": "public, max-age=86400"})


async def _metrics(_: Request) -> Response:
    """Prometheus metrics (every worker's under ``--workers N``)."""
    return Response(metrics_response_body(), media_type=METRICS_CONTENT_TYPE)


def create_app(
    supergraph: Supergraph,
    settings: RouterSettings,
    stages: Sequence[Stage] = (),
    *,
    supergraph_path: Path | None = None,
    socket_authenticator: SocketAuthenticator | None = None,
    subject: Subject | None = None,
) -> Starlette:
    """The ASGI application serving `/graphql` (and its playground), `/health` and auth's OAuth
    browser endpoints (`/oauth/{provider}/authorize|callback`, router/http/oauth_relay.py).

    With `supergraph_path`, the file is watched and a changed supergraph replaces the running
    one for new requests (requests in flight finish on the one they started with).
    `socket_authenticator` decides who opened a subscription (socket, multipart or SSE); by
    default the router's JWT validation when configured, else the token is forwarded for the
    subgraphs to verify. `subject(request)` names the user for the per-user rate limit (by
    default the verified JWT `sub`).
    """
    front = _Front(
        supergraph,
        settings,
        stages,
        supergraph_path,
        socket_authenticator or ForwardingAuthenticator(),
        subject,
    )
    routes = [
        Route("/graphql", front.graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", front.websocket),
        Route("/health", front.health, methods=["GET"]),
        *([Route("/metrics", _metrics, methods=["GET"])] if settings.metrics else []),
        Route("/favicon.ico", _favicon, methods=["GET"]),
        *front.oauth.routes(),
    ]
    if front.playground is not None:
        routes.extend(front.playground.routes())
    if settings.webapp:
        webapp = WebApp(
            idle_minutes=settings.webapp_idle_minutes, stripe_api=settings.webapp_stripe_api
        )
        routes.extend(webapp.routes())
    app = Starlette(routes=routes, lifespan=front.lifespan, middleware=cors_middleware(settings))
    app.state.front = front
    return app
