"""Pooled keep-alive subgraph requests (GraphQL over HTTP, graphql.github.io/graphql-over-http)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import orjson

__all__ = ["SubgraphClient", "SubgraphFetchError"]

_ACCEPT = "application/graphql-response+json, application/json;q=0.9"


class SubgraphFetchError(Exception):
    """A subgraph could not be reached or did not answer with a GraphQL response."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"HTTP fetch failed from '{service}': {reason}")
        self.service = service
        self.reason = reason


class SubgraphClient:
    """One pooled async HTTP client shared by every subgraph fetch."""

    def __init__(self, *, timeout: float = 30.0, max_connections: int = 512) -> None:
        self._timeout = timeout
        self._client = httpx.AsyncClient(
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            timeout=httpx.Timeout(timeout),
            http2=False,
        )

    async def fetch(
        self,
        service: str,
        url: str,
        payload: Mapping[str, Any],
        headers: Mapping[str, str],
        timeout_seconds: float | None = None,
    ) -> dict[str, Any]:
        """POST one GraphQL request; raises SubgraphFetchError on transport or format errors."""
        request_headers = {"content-type": "application/json", "accept": _ACCEPT, **headers}
        try:
            response = await self._client.post(
                url,
                content=orjson.dumps(payload),
                headers=request_headers,
                timeout=timeout_seconds or self._timeout,
            )
        except httpx.TimeoutException as error:
            raise SubgraphFetchError(service, "request timed out") from error
        except httpx.HTTPError as error:
            raise SubgraphFetchError(service, type(error).__name__) from error
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError as error:
            raise SubgraphFetchError(
                service, f"invalid JSON response (HTTP {response.status_code})"
            ) from error
        if not isinstance(body, dict) or ("data" not in body and "errors" not in body):
            raise SubgraphFetchError(
                service, f"response is not a GraphQL result (HTTP {response.status_code})"
            )
        return body

    async def aclose(self) -> None:
        await self._client.aclose()
