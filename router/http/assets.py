"""Static files the router serves itself (the playground, the web app): strong ETags and 304s
(RFC 9110 §8.8.3, §13.1.2), and gzip for clients that accept it (RFC 9110 §8.4.1)."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from starlette.requests import Request
from starlette.responses import Response

__all__ = ["MEDIA_TYPES", "SECURITY_HEADERS", "Asset", "AssetShelf", "media_type_of"]

# What every page and file the router serves itself carries.
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-origin",
}

MEDIA_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".svg": "image/svg+xml",
}
_GZIP_AT_LEAST = 1024  # smaller bodies gain nothing from compression


def media_type_of(name: str) -> str:
    """The media type a file name's extension stands for (``application/octet-stream`` if none)."""
    return MEDIA_TYPES.get(PurePosixPath(name).suffix, "application/octet-stream")


@dataclass(slots=True)
class Asset:
    body: bytes
    media_type: str
    etag: str = field(init=False)
    gzipped: bytes | None = None

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'

    def fresh(self, request: Request) -> bool:
        """Whether the client's cached copy is this one (`If-None-Match`)."""
        return self.etag in request.headers.get("if-none-match", "")


class AssetShelf:
    """Named assets answered with their ETag, ``cache_control`` and ``headers``; 404 for others.

    A body is gzipped once, on first demand, off the event loop.
    """

    def __init__(
        self, assets: Mapping[str, Asset], *, cache_control: str, headers: Mapping[str, str]
    ) -> None:
        self._assets = dict(assets)
        self._headers = {**headers, "cache-control": cache_control, "vary": "accept-encoding"}
        self._gzip_lock = asyncio.Lock()

    async def respond(self, request: Request, name: str) -> Response:
        asset = self._assets.get(name)
        if asset is None:
            return Response("Not found", status_code=404, media_type="text/plain")
        headers = {**self._headers, "etag": asset.etag}
        if asset.fresh(request):
            return Response(status_code=304, headers=headers)
        body = asset.body
        if "gzip" in request.headers.get("accept-encoding", "") and len(body) >= _GZIP_AT_LEAST:
            body = await self._gzipped(asset)
            headers["content-encoding"] = "gzip"
        return Response(body, media_type=f"{asset.media_type}; charset=utf-8", headers=headers)

    async def _gzipped(self, asset: Asset) -> bytes:
        async with self._gzip_lock:
            if asset.gzipped is None:
                asset.gzipped = await asyncio.to_thread(gzip.compress, asset.body, 6)
        return asset.gzipped
