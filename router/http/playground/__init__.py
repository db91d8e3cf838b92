"""The offline GraphiQL playground: an HTML page and its assets, served from inside the package."""

from __future__ import annotations

from html import escape
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from router.http.assets import SECURITY_HEADERS, Asset, AssetShelf, media_type_of
from router.http.playground.examples import examples_script

__all__ = ["ASSET_PREFIX", "CONTENT_SECURITY_POLICY", "Playground"]

ASSET_PREFIX = "/graphql/playground"

# Everything comes from our own origin; fonts and icons inside graphiql.min.css are data: URLs.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self' data:",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)

_ASSETS = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "graphiql.min.css",
    "playground.js",
)

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>healthgraph playground</title>
<link rel="stylesheet" href="{prefix}/graphiql.min.css">
<link rel="stylesheet" href="{prefix}/playground.css">
</head>
<body>
<div id="graphiql">Loading the playground...</div>
<script src="{prefix}/react.production.min.js"></script>
<script src="{prefix}/react-dom.production.min.js"></script>
<script src="{prefix}/graphiql.min.js"></script>
<script src="{prefix}/examples.js"></script>
<script src="{prefix}/playground.js"></script>
</body>
</html>
"""

# The page's own layout: a stylesheet file, so that `style-src` needs no 'unsafe-inline'.
_LAYOUT_CSS = b"html, body, #graphiql { height: 100%; margin: 0; overflow: hidden; }\n"


def _load_assets() -> dict[str, Asset]:
    folder = resources.files(__name__)
    assets = {
        name: Asset(folder.joinpath(name).read_bytes(), media_type_of(name)) for name in _ASSETS
    }
    assets["playground.css"] = Asset(_LAYOUT_CSS, "text/css")
    assets["examples.js"] = Asset(examples_script(), "text/javascript")
    return assets


class Playground:
    """GraphiQL for browsers: the page (answering `GET /graphql`) and its static assets."""

    def __init__(self) -> None:
        # a day's caching: these names carry no content hash
        self._assets = AssetShelf(
            _load_assets(), cache_control="public, max-age=86400", headers=SECURITY_HEADERS
        )

    def page(self, request: Request) -> Response:
        """The HTML page; the fetcher posts to the URL the page was served from."""
        prefix = escape(request.scope.get("root_path", "") + ASSET_PREFIX, quote=True)
        headers = {
            **SECURITY_HEADERS,
            "content-security-policy": CONTENT_SECURITY_POLICY,
            "cache-control": "no-store",
            "vary": "accept",
        }
        return Response(
            _PAGE.format(prefix=prefix), media_type="text/html; charset=utf-8", headers=headers
        )

    async def asset(self, request: Request) -> Response:
        """One asset, with an ETag, gzip when the client accepts it, and a day's caching."""
        return await self._assets.respond(request, request.path_params["name"])

    def routes(self) -> list[Route]:
        """The asset routes (the page itself is answered by the `/graphql` endpoint)."""
        return [Route(ASSET_PREFIX + "/{name}", self.asset, methods=["GET", "HEAD"])]
