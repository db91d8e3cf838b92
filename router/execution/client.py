"""Pooled keep-alive subgraph requests (GraphQL over HTTP, graphql.github.io/graphql-over-http)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from router.execution.http1 import ConnectError, ConnectionPool, DisconnectedError

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

    The pool is created lazily inside the running event loop.
    """

    def __init__(self, *, timeout: float = 30.0, max_connections: int = 512) -> None:
        self._timeout = timeout
        self._max_connections = max_connections
        self._pool: ConnectionPool | None = None

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
        """POST one GraphQL request; raises SubgraphFetchError on transport or format errors."""
        request_headers = {**_DEFAULT_HEADERS, **headers} if headers else _DEFAULT_HEADERS
        try:
            response = await self._get_pool().post(
                url,
                orjson.dumps(payload),
                request_headers,
                timeout_seconds or self._timeout,
                idempotent=not str(payload.get("query", "")).lstrip().startswith("mutation"),
            )
        except TimeoutError as error:
            raise SubgraphFetchError(service, "request timed out") from error
        except OSError as error:
            raise SubgraphFetchError(service, _reason(error)) from error
        except ValueError as error:  # a subgraph URL that is not http(s)
            raise SubgraphFetchError(service, "InvalidURL") from error
        status = response.status
        try:
            body = orjson.loads(response.body)
        except orjson.JSONDecodeError as error:
            raise SubgraphFetchError(service, f"invalid JSON response (HTTP {status})") from error
        if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
            raise SubgraphFetchError(service, f"response is not a GraphQL result (HTTP {status})")
        return body

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None
