"""The web app at /app/: the page on every app path, hashed assets, its config and a strict CSP."""

from __future__ import annotations

import gzip
import re

import httpx
import orjson

from router.http.webapp import content_security_policy


async def test_every_app_path_answers_the_page(client: httpx.AsyncClient) -> None:
    for path in ("/app", "/app/", "/app/patients/p-1"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == content_security_policy(None)
        assert '<div id="root">' in response.text


async def test_the_page_loads_only_its_own_hashed_assets(client: httpx.AsyncClient) -> None:
    page = await client.get("/app/")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources
    assert all(source.startswith("/app/assets/") for source in sources)
    assert "<script>" not in page.text, "no inline script: the CSP forbids it"
    for source in sources:
        asset = await client.get(source)
        assert asset.status_code == 200, source
        assert asset.headers["content-type"].startswith(("text/javascript", "text/css"))
        assert "immutable" in asset.headers["cache-control"]
        again = await client.get(source, headers={"if-none-match": asset.headers["etag"]})
        assert again.status_code == 304
    assert (await client.get("/app/assets/missing.js")).status_code == 404


async def test_the_script_goes_gzipped_to_browsers_that_accept_it(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/app/")
    script = next(s for s in re.findall(r'src="([^"]+)"', page.text) if s.endswith(".js"))
    raw = await client.get(script, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in raw.headers
    async with client.stream("GET", script, headers={"accept-encoding": "gzip"}) as streamed:
        assert streamed.headers["content-encoding"] == "gzip"
        assert streamed.headers["vary"] == "accept-encoding"
        assert streamed.headers["content-security-policy"] == content_security_policy(None)
        body = b"".join([chunk async for chunk in streamed.aiter_raw()])
    assert len(body) < len(raw.content) / 2
    assert gzip.decompress(body) == raw.content


async def test_config_tells_the_app_where_the_api_is(client: httpx.AsyncClient) -> None:
    config = orjson.loads((await client.get("/app/config.json")).content)
    assert config == {"graphqlPath": "/graphql", "idleMinutes": 15.0, "stripeApiBase": None}


def test_policy_adds_only_the_card_providers_origin() -> None:
    strict = dict(d.split(" ", 1) for d in content_security_policy(None).split("; "))
    assert strict["default-src"] == "'none'"
    assert strict["script-src"] == "'self'"
    assert strict["connect-src"] == "'self'"
    assert strict["img-src"] == "'self'"  # no data: images (the TOTP QR code is inline SVG)
    assert "unsafe" not in content_security_policy(None)
    with_stripe = content_security_policy("http://127.0.0.1:4021/some/path")
    assert "connect-src 'self' http://127.0.0.1:4021;" in with_stripe
