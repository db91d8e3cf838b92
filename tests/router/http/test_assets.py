"""The router's static files: media types, 404, 304 and gzip only where it pays."""

from __future__ import annotations

import gzip

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from router.http.assets import Asset, AssetShelf, media_type_of


def test_media_types_follow_the_extension() -> None:
    assert media_type_of("index-abc.js") == "text/javascript"
    assert media_type_of("logo.svg") == "image/svg+xml"
    assert media_type_of("archive.tar.gz") == "application/octet-stream"
    assert media_type_of("README") == "application/octet-stream"


async def test_shelf_answers_its_assets_only() -> None:
    big = b"console.log('healthgraph');\n" * 100
    shelf = AssetShelf(
        {"big.js": Asset(big, "text/javascript"), "tiny.css": Asset(b"p{}", "text/css")},
        cache_control="public, max-age=60",
        headers={"x-content-type-options": "nosniff"},
    )

    async def endpoint(request: Request) -> Response:
        return await shelf.respond(request, request.path_params["name"])

    app = Starlette(routes=[Route("/{name}", endpoint)])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router.test"
    ) as client:
        async with client.stream("GET", "/big.js", headers={"accept-encoding": "gzip"}) as first:
            assert first.headers["content-encoding"] == "gzip"
            assert first.headers["cache-control"] == "public, max-age=60"
            assert first.headers["x-content-type-options"] == "nosniff"
            assert gzip.decompress(b"".join([c async for c in first.aiter_raw()])) == big
        tiny = await client.get("/tiny.css", headers={"accept-encoding": "gzip"})
        assert "content-encoding" not in tiny.headers  # too small to gain anything
        assert tiny.content == b"p{}"
        again = await client.get("/tiny.css", headers={"if-none-match": tiny.headers["etag"]})
        assert again.status_code == 304
        assert (await client.get("/other.js")).status_code == 404
