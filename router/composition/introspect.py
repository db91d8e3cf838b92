"""Fetch a running subgraph's SDL with ``{ _service { sdl } }`` (https://www.apollographql.com/docs/graphos/reference/federation/subgraph-spec#fetch-service-capabilities)."""

from __future__ import annotations

import httpx

__all__ = ["SERVICE_SDL_QUERY", "SubgraphFetchError", "fetch_subgraph_sdl"]

SERVICE_SDL_QUERY = "query SubgraphIntrospectQuery { _service { sdl } }"


class SubgraphFetchError(RuntimeError):
    """The subgraph could not be reached or did not return its SDL."""


def fetch_subgraph_sdl(
    name: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    client: httpx.Client | None = None,
    timeout: float = 10.0,
) -> str:
    """POST the subgraph SDL query to ``url`` and return ``data._service.sdl``."""
    own = client is None
    http = client or httpx.Client(timeout=timeout)
    try:
        response = http.post(
            url,
            json={"query": SERVICE_SDL_QUERY, "operationName": "SubgraphIntrospectQuery"},
            headers={"content-type": "application/json", **(headers or {})},
        )
    except httpx.HTTPError as exc:
        raise SubgraphFetchError(f'subgraph "{name}": cannot fetch SDL from {url}: {exc}') from exc
    finally:
        if own:
            http.close()
    try:
        body = response.json()
    except ValueError as exc:
        raise SubgraphFetchError(
            f'subgraph "{name}": {url} answered {response.status_code} without JSON'
        ) from exc
    sdl = ((body or {}).get("data") or {}).get("_service", {}) if isinstance(body, dict) else {}
    sdl = sdl.get("sdl") if isinstance(sdl, dict) else None
    if not isinstance(sdl, str):
        errors = body.get("errors") if isinstance(body, dict) else None
        raise SubgraphFetchError(
            f'subgraph "{name}": {url} returned no _service.sdl '
            f"(status {response.status_code}, errors: {errors})"
        )
    return sdl
