"""The web app (`clients/web`, built by `clients/web/build.sh` into `site/`) served at `/app/`."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from router.http.playground import SECURITY_HEADERS, Asset

__all__ = ["APP_PREFIX", "WebApp", "content_security_policy"]

APP_PREFIX = "/app"

_MEDIA_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".svg": "image/svg+xml",
}


def content_security_policy(stripe_api: str | None) -> str:
    """Only our own origin (and the card provider's API for confirming a payment). No data:
    images: the TOTP QR code is an inline SVG drawn from path data (subgraphs/auth/mfa/qrcode.py)."""
    connect = "connect-src 'self'"
    if stripe_api:
        parts = urlsplit(stripe_api)
        connect += f" {parts.scheme}://{parts.netloc}"
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            connect,
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


@dataclass(frozen=True, slots=True)
class _Config:
    idle_minutes: float
    stripe_api: str | None

    def body(self) -> bytes:
        return orjson.dumps(
            {
                "graphqlPath": "/graphql",
                "idleMinutes": self.idle_minutes,
                "stripeApiBase": self.stripe_api,
            }
        )


class WebApp:
    """`/app/` and every path under it answer the page (the app routes in the browser);
    `/app/assets/{name}` the built, content-hashed assets; `/app/config.json` its settings."""

    def __init__(self, *, idle_minutes: float, stripe_api: str | None) -> None:
        folder = resources.files(__name__).joinpath("site")
        self._index = folder.joinpath("index.html").read_bytes()
        assets = folder.joinpath("assets")
        self._assets = {
            entry.name: Asset(
                entry.read_bytes(),
                _MEDIA_TYPES.get(entry.name[entry.name.rfind(".") :], "application/octet-stream"),
            )
            for entry in assets.iterdir()
            if entry.is_file()
        }
        self._config = _Config(idle_minutes, stripe_api)
        self._csp = content_security_policy(stripe_api)

    def _headers(self) -> dict[str, str]:
        return {**SECURITY_HEADERS, "content-security-policy": self._csp}

    async def page(self, request: Request) -> Response:  # noqa: ARG002 - a Starlette endpoint
        headers = {**self._headers(), "cache-control": "no-store"}
        return Response(self._index, media_type="text/html; charset=utf-8", headers=headers)

    async def config(self, request: Request) -> Response:  # noqa: ARG002 - a Starlette endpoint
        headers = {**self._headers(), "cache-control": "no-store"}
        return Response(self._config.body(), media_type="application/json", headers=headers)

    async def asset(self, request: Request) -> Response:
        asset = self._assets.get(request.path_params["name"])
        if asset is None:
            return Response("Not found", status_code=404, media_type="text/plain")
        headers = {
            **self._headers(),
            "etag": asset.etag,
            "cache-control": "public, max-age=31536000, immutable",  # names carry a content hash
        }
        if asset.fresh(request):
            return Response(status_code=304, headers=headers)
        return Response(
            asset.body, media_type=f"{asset.media_type}; charset=utf-8", headers=headers
        )

    def routes(self) -> list[Route]:
        return [
            Route(APP_PREFIX + "/config.json", self.config, methods=["GET", "HEAD"]),
            Route(APP_PREFIX + "/assets/{name}", self.asset, methods=["GET", "HEAD"]),
            Route(APP_PREFIX, self.page, methods=["GET", "HEAD"]),
            Route(APP_PREFIX + "/{path:path}", self.page, methods=["GET", "HEAD"]),
        ]
