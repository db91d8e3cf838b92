"""Through the router: refusals before planning (HTTP 400/413, no subgraph call, bounded work),
production hygiene, CORS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from graphql.language.lexer import Lexer

from router.planner import QueryPlanner
from tests.router.loopback import FakeSubgraph, serve_router
from tests.router.wards import build_wards, wards_supergraph
from tests.support.hostile import aliases


@asynccontextmanager
async def _router(**settings: Any) -> AsyncIterator[tuple[httpx.AsyncClient, FakeSubgraph]]:
    subgraphs = build_wards()
    async with (
        serve_router(wards_supergraph(), subgraphs, **settings) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        yield http, subgraphs["wards"]


def _codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json()["errors"]]


async def test_cost_over_the_limit_is_refused_before_planning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    planned: list[object] = []
    build = QueryPlanner.build
    monkeypatch.setattr(
        QueryPlanner, "build", lambda self, *a: planned.append(a) or build(self, *a)
    )
    async with _router(max_cost=100) as (http, wards):
        cheap = await http.post("/graphql", json={"query": "{ wards(first: 2) { name } }"})
        assert cheap.status_code == 200
        assert cheap.json()["data"]["wards"] == [{"name": "Ward 0"}, {"name": "Ward 1"}]
        planned.clear()
        wards.requests.clear()
        costly = await http.post(
            "/graphql",
            json={"query": "query ($n: Int) { wards(first: $n) { name } }", "variables": {"n": 50}},
        )
        assert costly.status_code == 400
        [error] = costly.json()["errors"]
        assert error["extensions"] == {
            "code": "COST_ESTIMATED_TOO_EXPENSIVE",
            "limit": "max_cost",
            "maximum": 100,
        }
        assert "data" not in costly.json()
        assert not planned
        assert not wards.requests


async def test_directives_per_field_are_limited() -> None:
    async with _router(max_directives_per_field=2) as (http, wards):
        query = "{ broken @skip(if: false) @include(if: true) @skip(if: false) }"
        response = await http.post("/graphql", json={"query": query})
        assert response.status_code == 400
        assert _codes(response) == ["MAX_FIELD_DIRECTIVES_EXCEEDED"]
        assert not wards.requests


async def test_ten_thousand_aliases_and_a_megabyte_cost_bounded_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The parser stops at `max_tokens`: however long the query, at most that many tokens are
    read, nothing is planned and no subgraph is called (timings: tests/benchmarks)."""
    tokens = 0
    advance = Lexer.advance

    def counted(self: Lexer) -> Any:
        nonlocal tokens
        tokens += 1
        return advance(self)

    planned: list[object] = []
    monkeypatch.setattr(Lexer, "advance", counted)
    monkeypatch.setattr(QueryPlanner, "build", lambda *a: planned.append(a))
    megabyte = "{ " + "wards { name } " * (1024 * 1024 // 16) + "}"
    async with _router() as (http, wards):
        for query in (aliases(10_000, "wards { name }"), megabyte):
            tokens = 0
            response = await http.post("/graphql", json={"query": query})
            assert response.status_code == 400
            assert _codes(response) == ["MAX_TOKENS_EXCEEDED"]
            assert tokens <= 15_001
        assert not planned
        assert not wards.requests


async def test_a_body_over_the_limit_is_413_before_it_is_read() -> None:
    async with _router(max_request_bytes=16 * 1024) as (http, wards):
        response = await http.post(
            "/graphql",
            content=b'{"query": "' + b" " * (1024 * 1024) + b'{ wards { name } }"}',
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 413
        assert _codes(response) == ["REQUEST_TOO_LARGE"]
        long_get = await http.get(
            "/graphql",
            params={"query": "{ wards { name } }", "pad": "x" * 20_000},
            headers={"apollo-require-preflight": "true"},
        )
        assert long_get.status_code == 414
        assert _codes(long_get) == ["REQUEST_TOO_LARGE"]
        assert not wards.requests


async def test_production_has_no_introspection_suggestions_or_stack_traces() -> None:
    async with _router(environment="production") as (http, wards):
        introspection = await http.post(
            "/graphql", json={"query": "{ __schema { types { name } } }"}
        )
        assert introspection.status_code == 400
        assert _codes(introspection) == ["INTROSPECTION_DISABLED"]
        typename = await http.post("/graphql", json={"query": "{ __typename }"})
        assert typename.json() == {"data": {"__typename": "Query"}}
        typo = await http.post("/graphql", json={"query": "{ ward { nme } }"})
        assert typo.status_code == 400
        assert all("Did you mean" not in e["message"] for e in typo.json()["errors"])
        broken = await http.post("/graphql", json={"query": "{ broken }"})
        [error] = broken.json()["errors"]
        assert error["message"] == "database exploded"
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert "exception" not in error["extensions"]
        assert "stacktrace" not in error["extensions"]
        assert "Traceback" not in broken.text
        assert len(wards.requests) == 1  # only `broken` reached the subgraph


async def test_development_keeps_introspection_and_suggestions() -> None:
    async with _router(environment="development") as (http, _):
        introspection = await http.post(
            "/graphql", json={"query": "{ __schema { queryType { name } } }"}
        )
        assert introspection.json()["data"]["__schema"]["queryType"]["name"] == "Query"
        typo = await http.post("/graphql", json={"query": "{ wards(first: 1) { nme } }"})
        assert "Did you mean 'name'?" in typo.json()["errors"][0]["message"]
        broken = await http.post("/graphql", json={"query": "{ broken }"})  # never a trace
        assert "exception" not in broken.json()["errors"][0]["extensions"]


async def test_production_can_turn_introspection_back_on_explicitly() -> None:
    async with _router(environment="production", introspection=True) as (http, _):
        response = await http.post(
            "/graphql", json={"query": "{ __schema { queryType { name } } }"}
        )
        assert response.status_code == 200


async def test_cors_answers_configured_origins_only() -> None:
    origin = "https://app.hospital.example"
    async with _router(cors_origins=[origin], cors_allow_credentials=True) as (http, _):
        preflight = await http.options(
            "/graphql",
            headers={
                "origin": origin,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type, authorization",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == origin
        assert preflight.headers["access-control-allow-credentials"] == "true"
        answer = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": origin}
        )
        assert answer.headers["access-control-allow-origin"] == origin
        stranger = await http.options(
            "/graphql",
            headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
        )
        assert stranger.status_code == 400
        assert "access-control-allow-origin" not in stranger.headers


async def test_no_cors_headers_without_configured_origins() -> None:
    async with _router() as (http, _):
        answer = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://x.example"}
        )
        assert "access-control-allow-origin" not in answer.headers
