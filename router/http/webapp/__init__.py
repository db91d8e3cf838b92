"""The web app (`clients/web`, built by `clients/web/build.sh` into `site/`) served at `/app/`."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from router.http.assets import SECURITY_HEADERS, Asset, AssetShelf, media_type_of

__all__ = ["APP_PREFIX", "WebApp", "content_security_policy"]

APP_PREFIX = "/app"


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
        self._config = _Config(idle_minutes, stripe_api)
        self._csp = content_security_policy(stripe_api)
        self._assets = AssetShelf(
            {
                entry.name: Asset(entry.read_bytes(), media_type_of(entry.name))
                for entry in folder.joinpath("assets").iterdir()
                if entry.is_file()
            },
            cache_control="public, max-age=31536000, immutable",  # names carry a content hash
            headers=self._headers(),
        )

    def _headers(self) -> dict[str, str]:
        return {**SECURITY_HEADERS, "content-security-policy": self._csp}

    async def page(self, request: Request) -> Response:  # noqa: ARG002 - a Starlette endpoint
        headers = {**self._headers(), "cache-control": "no-store"}
        return Response(self._index, media_type="text/html; charset=utf-8", headers=headers)

    async def config(self, request: Request) -> Response:  # noqa: ARG002 - a Starlette endpoint
        headers = {**self._headers(), "cache-control": "no-store"}
        return Response(self._config.body(), media_type="application/json", headers=headers)

    async def asset(self, request: Request) -> Response:
        """One built asset: an ETag, gzip when the client accepts it, cached for a year."""
        return await self._assets.respond(request, request.path_params["name"])

    def routes(self) -> list[Route]:
        return [
            Route(APP_PREFIX + "/config.json", self.config, methods=["GET", "HEAD"]),
            Route(APP_PREFIX + "/assets/{name}", self.asset, methods=["GET", "HEAD"]),
            Route(APP_PREFIX, self.page, methods=["GET", "HEAD"]),
            Route(APP_PREFIX + "/{path:path}", self.page, methods=["GET", "HEAD"]),
        ]
