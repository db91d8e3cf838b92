"""Test support: tiny federation subgraphs (graphql-core) and the router, served on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import uvicorn
from graphql import GraphQLObjectType, build_schema, graphql
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from router.http import create_app
from router.settings import RouterSettings
from router.supergraph import parse_supergraph

__all__ = ["SAMPLES", "FakeSubgraph", "free_port", "sample_sdl", "serve", "serve_router"]

Resolver = Callable[..., Any]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class FakeSubgraph:
    """A federation subgraph: SDL plus resolvers; records every request it receives."""

    sdl: str
    resolvers: Mapping[str, Mapping[str, Resolver]] = field(default_factory=dict)
    entities: Mapping[str, Callable[[dict[str, Any]], Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    delay: float = 0.0
    entity_union: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = " | ".join(self.entity_union or tuple(self.entities))
        extra = "scalar _Any\n"
        if self.entities:
            extra += f"union _Entity = {names}\n"
            extra += "extend type Query { _entities(representations: [_Any!]!): [_Entity]! }\n"
        self.schema = build_schema(self.sdl + "\n" + extra)
        for type_name, fields in self.resolvers.items():
            graphql_type = self.schema.type_map[type_name]
            assert isinstance(graphql_type, GraphQLObjectType)
            for field_name, resolver in fields.items():
                graphql_type.fields[field_name].resolve = resolver
        for graphql_type in self.schema.type_map.values():
            if hasattr(graphql_type, "resolve_type"):
                graphql_type.resolve_type = lambda value, *_: value["__typename"]
        if self.entities:
            query = self.schema.type_map["Query"]
            assert isinstance(query, GraphQLObjectType)
            query.fields["_entities"].resolve = self._resolve_entities

    def _resolve_entities(self, _: Any, __: Any, representations: list[dict[str, Any]]) -> Any:
        return [self._entity(representation) for representation in representations]

    async def _entity(self, representation: dict[str, Any]) -> Any:
        found = self.entities[representation["__typename"]](representation)
        if isinstance(found, dict):
            found = {"__typename": representation["__typename"], **found}
        return found

    def app(self) -> Starlette:
        async def endpoint(request: Request) -> Response:
            body = orjson.loads(await request.body())
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            if self.delay:
                await asyncio.sleep(self.delay)
            result = await graphql(
                self.schema, body["query"], variable_values=body.get("variables")
            )
            payload: dict[str, Any] = {"data": result.data}
            if result.errors:
                payload["errors"] = [e.formatted for e in result.errors]
            return Response(orjson.dumps(payload), media_type="application/json")

        return Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])])


@contextlib.asynccontextmanager
async def serve(app: Any, port: int | None = None) -> AsyncIterator[str]:
    """Serve an ASGI app on loopback for the duration of the block; yields its base URL."""
    port = port or free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="error", lifespan="on", proxy_headers=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def serve_router(
    supergraph_sdl: str, subgraphs: Mapping[str, FakeSubgraph], **settings: Any
) -> AsyncIterator[str]:
    """Serve every fake subgraph and a router in front of them; yields the router's base URL."""
    async with contextlib.AsyncExitStack() as stack:
        urls = dict(settings.pop("subgraph_urls_extra", {}))
        stages = settings.pop("stages", ())
        supergraph_path = settings.pop("supergraph_path", None)
        subject = settings.pop("subject", None)
        for name, subgraph in subgraphs.items():
            base = await stack.enter_async_context(serve(subgraph.app()))
            urls[name] = f"{base}/graphql"
        supergraph = parse_supergraph(supergraph_sdl)
        router_settings = RouterSettings(subgraph_urls=urls, **settings)
        app = create_app(
            supergraph, router_settings, stages, supergraph_path=supergraph_path, subject=subject
        )
        base = await stack.enter_async_context(serve(app))
        yield base


SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def sample_sdl(case: str | None = None) -> str:
    """A sample supergraph: the case's own (or the shared hospital one) after the join header."""
    path = SAMPLES / case / "supergraph.graphql" if case else SAMPLES / "supergraph.graphql"
    if not path.exists():
        path = SAMPLES / "supergraph.graphql"
    header = (SAMPLES / "join-header.graphql").read_text(encoding="utf-8")
    return path.read_text(encoding="utf-8") + "\n" + header
