"""The pooled subgraph client turns transport and format failures into SubgraphFetchError."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from router.execution import SubgraphClient, SubgraphFetchError
from tests.router.loopback import free_port, serve


async def _echo(request: Request) -> Response:
    return JSONResponse({"data": {"headers": dict(request.headers)}})


async def _html(_: Request) -> Response:
    return PlainTextResponse("<html/>")


async def _not_graphql(_: Request) -> Response:
    return JSONResponse({"hello": "world"})


APP = Starlette(
    routes=[
        Route("/echo", _echo, methods=["POST"]),
        Route("/html", _html, methods=["POST"]),
        Route("/other", _not_graphql, methods=["POST"]),
    ]
)


async def test_fetch_and_failures() -> None:
    client = SubgraphClient(timeout=2)
    try:
        async with serve(APP) as base:
            body = await client.fetch("s", f"{base}/echo", {"query": "{a}"}, {"x-request-id": "r"})
            assert body["data"]["headers"]["x-request-id"] == "r"
            assert body["data"]["headers"]["content-type"] == "application/json"
            with pytest.raises(SubgraphFetchError, match="invalid JSON response"):
                await client.fetch("s", f"{base}/html", {"query": "{a}"}, {})
            with pytest.raises(SubgraphFetchError, match="not a GraphQL result"):
                await client.fetch("s", f"{base}/other", {"query": "{a}"}, {})
        with pytest.raises(SubgraphFetchError, match="HTTP fetch failed from 's'"):
            await client.fetch("s", f"http://127.0.0.1:{free_port()}/", {"query": "{a}"}, {})
    finally:
        await client.aclose()
