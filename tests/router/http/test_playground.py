"""The GraphiQL playground: page, assets, security headers and production mode."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import httpx

from router.http.playground import ASSET_PREFIX, CONTENT_SECURITY_POLICY
from router.http.playground.examples import examples_script
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve_router

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PLAYGROUND = Path(__file__).resolve().parents[3] / "router" / "http" / "playground"

PREFLIGHT = {"apollo-require-preflight": "true"}  # CSRF prevention (router/http/csrf.py)


async def test_browsers_get_the_playground(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": HTML})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sources, "the page loads its scripts and styles"
    assert all(source.startswith(f"{ASSET_PREFIX}/") for source in sources)
    assert "<script>" not in response.text, "no inline script: the CSP forbids it"
    for source in sources:
        asset = await client.get(source)
        assert asset.status_code == 200, source
        assert asset.headers["content-type"].startswith(("text/javascript", "text/css"))


async def test_page_opens_with_the_example_tabs(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"accept": HTML})
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    assert scripts[-2:] == [f"{ASSET_PREFIX}/examples.js", f"{ASSET_PREFIX}/playground.js"]
    examples = await client.get(f"{ASSET_PREFIX}/examples.js")
    assert examples.headers["content-type"].startswith("text/javascript")
    assert examples.content == examples_script()
    starter = await client.get(f"{ASSET_PREFIX}/playground.js")
    assert "props.defaultTabs = window.healthgraphExamples;" in starter.text


async def test_policy_allows_only_our_origin() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


async def test_json_clients_keep_graphql_over_http(client: httpx.AsyncClient) -> None:
    for accept in ("application/json", "*/*", "application/graphql-response+json"):
        response = await client.get(
            "/graphql",
            params={"query": "{ patients { id } }"},
            headers={"accept": accept, **PREFLIGHT},
        )
        assert response.json() == {"data": {"patients": [{"id": "p1"}, {"id": "p2"}]}}
        assert response.headers["vary"] == "accept"
    posted = await client.post(
        "/graphql", json={"query": "{ patients { id } }"}, headers={"accept": HTML}
    )
    assert posted.json()["data"]["patients"][0] == {"id": "p1"}


async def test_assets_are_the_published_files(client: httpx.AsyncClient) -> None:
    sums = (PLAYGROUND / "SHA256SUMS").read_text(encoding="utf-8").split("\n")
    checked = 0
    for line in filter(None, sums):
        digest, name = line.split()
        response = await client.get(f"{ASSET_PREFIX}/{name}", headers={"accept-encoding": "gzip"})
        assert hashlib.sha256(response.content).hexdigest() == digest
        checked += 1
    assert checked == 4


async def test_assets_are_compressed_and_cached(client: httpx.AsyncClient) -> None:
    url = f"{ASSET_PREFIX}/graphiql.min.js"
    raw = await client.get(url, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in raw.headers
    async with client.stream("GET", url, headers={"accept-encoding": "gzip"}) as streamed:
        assert streamed.headers["content-encoding"] == "gzip"
        body = b"".join([chunk async for chunk in streamed.aiter_raw()])
    assert len(body) < len(raw.content) / 2
    assert gzip.decompress(body) == raw.content
    again = await client.get(url, headers={"if-none-match": raw.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    missing = await client.get(f"{ASSET_PREFIX}/nope.js")
    assert missing.status_code == 404


async def test_production_turns_the_playground_off(hospital: Hospital) -> None:
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), environment="production") as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        page = await http.get("/graphql", headers={"accept": HTML})
        assert page.status_code == 400  # a browser's GET is a "simple" request: CSRF prevention
        assert page.json()["errors"][0]["extensions"]["code"] == "CSRF_ERROR"
        page = await http.get("/graphql", headers={"accept": HTML, **PREFLIGHT})
        assert page.status_code == 400
        assert page.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        asset = await http.get(f"{ASSET_PREFIX}/graphiql.min.js")
        assert asset.status_code == 404


async def test_setting_turns_the_playground_off(hospital: Hospital) -> None:
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), playground=False) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        page = await http.get(
            "/graphql",
            params={"query": "{ patients { id } }"},
            headers={"accept": HTML, **PREFLIGHT},
        )
        assert page.json()["data"]["patients"][0] == {"id": "p1"}
