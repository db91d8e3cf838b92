"""Pooled keep-alive subgraph requests (GraphQL over HTTP, graphql.github.io/graphql-over-http)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Mapping
from typing import Any

import orjson
from opentelemetry.trace import SpanKind

from router.execution.dedup import InFlightQueries, is_query
from router.execution.http1 import ConnectError, ConnectionPool, DisconnectedError, HttpResponse
from router.telemetry.router_metrics import observe_fetch
from router.telemetry.tracing import tracing

__all__ = ["SubgraphClient", "SubgraphFetchError"]

_ACCEPT = "application/graphql-response+json, application/json;q=0.9"
_DEFAULT_HEADERS = {"content-type": "application/json", "accept": _ACCEPT}


class SubgraphFetchError(Exception):
    """A subgraph could not be reached or did not answer with a GraphQL response."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"HTTP fetch failed from '{service}': {reason}")
        self.service = service
        self.reason = reason


def _reason(error: OSError) -> str:
    # the reasons clients have always seen (they were aiohttp's exception names)
    if isinstance(error, ConnectError):
        return "ClientConnectorError"
    if isinstance(error, DisconnectedError):
        return "ServerDisconnectedError"
    return "ClientOSError"


class SubgraphClient:
    """One keep-alive connection pool (`router.execution.http1`) shared by every subgraph fetch.

    The pool is created lazily inside the running event loop. With `deduplicate`, identical
    queries in flight share one call (`router.execution.dedup`); `dedup_ignored_headers` are the
    per-request headers left out of the comparison.
    """

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        max_connections: int = 512,
        deduplicate: bool = False,
        dedup_ignored_headers: tuple[str, ...] = (),
    ) -> None:
        self._timeout = timeout
        self._max_connections = max_connections
        self._pool: ConnectionPool | None = None
        self.in_flight = InFlightQueries(dedup_ignored_headers) if deduplicate else None

    def _get_pool(self) -> ConnectionPool:
        if self._pool is None:
            self._pool = ConnectionPool(max_connections=self._max_connections)
        return self._pool

    async def fetch(
        self,
        service: str,
        url: str,
        payload: Mapping[str, Any],
        headers: Mapping[str, str],
        timeout_seconds: float | None = None,
    ) -> dict[str, Any]:
        """POST one GraphQL request; raises SubgraphFetchError on transport or format errors.

        Measured per subgraph; when tracing is on, a client span whose context the subgraph
        receives as ``traceparent`` (in place of the client's own).
        """
        started = time.perf_counter()
        outcome = "failed"
        try:
            if tracing.tracer is None:
                result = await self._fetch(service, url, payload, headers, timeout_seconds)
            else:
                attributes = {"healthgraph.subgraph": service, "url.full": url}
                with tracing.span(f"fetch {service}", kind=SpanKind.CLIENT, attributes=attributes):
                    traced = dict(headers)
                    tracing.inject(traced)
                    result = await self._fetch(service, url, payload, traced, timeout_seconds)
            outcome = "error" if result.get("errors") else "ok"
            return result
        finally:
            observe_fetch(service, outcome, time.perf_counter() - started)

    async def _fetch(
        self,
        service: str,
        url: str,
        payload: Mapping[str, Any],
        headers: Mapping[str, str],
        timeout_seconds: float | None,
    ) -> dict[str, Any]:
        request_headers = {**_DEFAULT_HEADERS, **headers} if headers else _DEFAULT_HEADERS
        document = str(payload.get("query", ""))
        body = orjson.dumps(payload)
        time_limit = timeout_seconds or self._timeout
        in_flight = self.in_flight
        try:
            if in_flight is not None and is_query(document):
                response = await in_flight.run(
                    in_flight.key(url, body, request_headers),
                    lambda: self._post(url, body, request_headers, time_limit, idempotent=True),
                )
            else:
                response = await self._post(
                    url,
                    body,
                    request_headers,
                    time_limit,
                    idempotent=not document.lstrip().startswith("mutation"),
                )
        except TimeoutError as error:
            raise SubgraphFetchError(service, "request timed out") from error
        except OSError as error:
            raise SubgraphFetchError(service, _reason(error)) from error
        except ValueError as error:  # a subgraph URL that is not http(s)
            raise SubgraphFetchError(service, "InvalidURL") from error
        status = response.status
        try:
            result = orjson.loads(response.body)
        except orjson.JSONDecodeError as error:
            raise SubgraphFetchError(service, f"invalid JSON response (HTTP {status})") from error
        if not isinstance(result, dict) or ("data" not in result and "errors" not in result):
            raise SubgraphFetchError(service, f"response is not a GraphQL result (HTTP {status})")
        return result

    def _post(
        self,
        url: str,
        body: bytes,
        headers: Mapping[str, str],
        time_limit: float,
        *,
        idempotent: bool,
    ) -> Awaitable[HttpResponse]:
        return self._get_pool().post(url, body, headers, time_limit, idempotent=idempotent)

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None
