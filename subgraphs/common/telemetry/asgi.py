"""A subgraph's server span per HTTP request (W3C ``traceparent`` from the router) and its log id."""

from __future__ import annotations

from opentelemetry.trace import SpanKind
from starlette.types import ASGIApp, Receive, Scope, Send

from router.telemetry.logs import bind_request_id
from router.telemetry.tracing import tracing

__all__ = ["TelemetryMiddleware"]

_KNOWN_PATHS = frozenset({"/graphql", "/health", "/ready", "/metrics"})


class TelemetryMiddleware:
    """Binds ``x-request-id`` to the request's log lines; a server span when tracing is on."""

    def __init__(self, app: ASGIApp, *, request_id_header: str = "x-request-id") -> None:
        self.app = app
        self._request_id_header = request_id_header.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = None
        traceparent = None
        for name, value in scope["headers"]:
            if name == self._request_id_header:
                request_id = value.decode("latin-1")
            elif name in (b"traceparent", b"tracestate"):
                traceparent = True
        bind_request_id(request_id)
        if tracing.tracer is None:
            await self.app(scope, receive, send)
            return
        parent = None
        if traceparent:
            parent = tracing.extract(
                {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            )
        method = scope.get("method", "GET")
        path = scope.get("path", "")
        name = f"{method} {path}" if path in _KNOWN_PATHS else f"{method}"
        attributes = {"http.request.method": method, "url.path": path[:200]}
        if request_id:
            attributes["healthgraph.request_id"] = request_id
        with tracing.span(name, kind=SpanKind.SERVER, parent=parent, attributes=attributes):
            await self.app(scope, receive, send)
