"""Auth's browser-facing OAuth endpoints (RFC 6749 section 3.1), relayed so a browser talks only to the router.

Signing in with an identity provider sends the browser to auth twice: to start
(``GET /oauth/{provider}/authorize``, answered with a redirect to the provider) and back from the
provider (``GET /oauth/{provider}/callback``, answered with a redirect to the web app). The router
forwards exactly these two path shapes, GET only, to the subgraph named ``auth`` in the current
supergraph (its URL's origin, so ``ROUTER_SUBGRAPH_URLS`` overrides apply); with no such subgraph,
404. Everything else under ``/oauth/`` is 404 here, so the router is no open proxy.

Passed on: the query string as received, the browser's cookies, and the client's address as the
router forwards it to every subgraph (signed X-Forwarded-For, router/http/forwarded.py), so auth's
rate limits and audit see the real client. Passed back: the status, ``Location``,
``Set-Cookie``, ``Cache-Control``, ``Content-Type`` and a body of at most ``max_response_bytes``.
Auth unreachable, too slow or answering too much: 502 with a short plain body, one log line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable

import httpx
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from router.http.forwarded import ForwardedHeaders
from router.supergraph import Supergraph

__all__ = ["AUTH_SUBGRAPH", "ENDPOINTS", "OAuthRelay", "auth_origin"]

logger = logging.getLogger("router.http.oauth")

AUTH_SUBGRAPH = "auth"
# The allow-list: /oauth/{provider}/{endpoint} for these endpoints only.
ENDPOINTS = ("authorize", "callback")
MAX_RESPONSE_BYTES = 64 * 1024
MAX_QUERY_BYTES = 8 * 1024

_PROVIDER = re.compile(r"[a-z0-9_-]{1,40}")
_PASSED_ON = ("cookie", "accept", "accept-language", "user-agent")
_PASSED_BACK = ("location", "set-cookie", "cache-control", "content-type")
_UNAVAILABLE = "The sign-in service is not reachable just now. Please try again in a minute.\n"


def auth_origin(supergraph: Supergraph) -> str | None:
    """``scheme://host:port`` of the supergraph's ``auth`` subgraph, or None without one."""
    subgraph = supergraph.subgraphs.get(AUTH_SUBGRAPH)
    if subgraph is None:
        return None
    url = httpx.URL(subgraph.url)
    if url.scheme not in ("http", "https") or not url.host:
        return None
    port = f":{url.port}" if url.port is not None else ""
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}{port}"


def _plain(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(text, status, headers={"cache-control": "no-store", **(headers or {})})


class OAuthRelay:
    """Forwards the allow-listed OAuth paths to auth; ``origin()`` names auth's current origin."""

    def __init__(
        self,
        origin: Callable[[], str | None],
        forwarded: ForwardedHeaders,
        *,
        timeout: float,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self._origin = origin
        self._forwarded = forwarded
        self._timeout = timeout
        self._max_bytes = max_response_bytes
        self._client: httpx.AsyncClient | None = None

    def routes(self) -> list[Route]:
        return [
            Route(f"/oauth/{{provider}}/{endpoint}", self.relay, methods=["GET"])
            for endpoint in ENDPOINTS
        ]

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:  # created in the running event loop, closed by the lifespan
            self._client = httpx.AsyncClient(
                timeout=self._timeout, follow_redirects=False, trust_env=False
            )
        return self._client

    async def relay(self, request: Request) -> Response:
        if request.method != "GET":  # Starlette answers HEAD on a GET route: not here
            return _plain(405, "Method not allowed.\n", {"allow": "GET"})
        provider = str(request.path_params["provider"])
        endpoint = request.url.path.rsplit("/", 1)[-1]  # one of ENDPOINTS: only they are routed
        origin = self._origin()
        if origin is None or not _PROVIDER.fullmatch(provider):
            return _plain(404, "Not found.\n")
        query: bytes = request.scope.get("query_string", b"")
        if len(query) > MAX_QUERY_BYTES:
            return _plain(414, "The address is too long.\n")
        peer = request.client.host if request.client else None
        headers = {name: value for name in _PASSED_ON if (value := request.headers.get(name))}
        headers |= self._forwarded.headers(peer, request.url.scheme, request.headers)
        headers["accept-encoding"] = "identity"
        try:
            url = httpx.URL(f"{origin}/oauth/{provider}/{endpoint}", query=query)
        except httpx.InvalidURL:
            return _plain(400, "Bad request.\n")
        try:
            async with self._http().stream("GET", url, headers=headers) as answer:
                body = await self._read(answer.aiter_bytes())
        except (httpx.HTTPError, _TooLarge) as error:
            logger.warning("oauth relay to auth failed: %s", type(error).__name__)
            return _plain(502, _UNAVAILABLE)
        response = Response(body, status_code=answer.status_code)
        for name in _PASSED_BACK:
            for value in answer.headers.get_list(name):
                response.headers.append(name, value)
        return response

    async def _read(self, chunks: AsyncIterator[bytes]) -> bytes:
        received = bytearray()
        async for chunk in chunks:
            received += chunk
            if len(received) > self._max_bytes:
                raise _TooLarge
        return bytes(received)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


class _TooLarge(Exception):
    """Auth answered more than the relay passes on."""
