"""GraphQL over HTTP in every service: 400 for refused operations, a time budget, /health alive."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
import strawberry

from subgraphs.common.app import create_service_app
from subgraphs.common.errors import BadUserInput
from subgraphs.common.service_schema import ServiceSchema
from subgraphs.common.settings import ServiceSettings
from tests.conftest import ServiceDatabaseFactory
from tests.support.hostile import aliases, fragment_bomb


@strawberry.type
class Query:
    @strawberry.field
    def ping(self) -> str:
        return "pong"

    @strawberry.field
    def refuse(self) -> str:
        raise BadUserInput("No.")

    @strawberry.field
    async def stall(self) -> str:
        await asyncio.sleep(3600)
        return "never"


@pytest.fixture
async def client(service_database: ServiceDatabaseFactory) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(
        database_url=await service_database("common"),
        graphql_operation_timeout=0.5,
        graphql_max_aliases=10,
    )
    app = create_service_app(title="test", settings=settings, schema=ServiceSchema(query=Query))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
    await app.state.service.database.dispose()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("levels", [25, 50, 100])
async def test_a_fragment_bomb_is_refused_with_400(client: httpx.AsyncClient, levels: int) -> None:
    response = await client.post("/graphql", json={"query": fragment_bomb(levels)})
    assert response.status_code == 400
    assert response.json()["data"] is None
    codes = [e["extensions"]["code"] for e in response.json()["errors"]]
    assert "MAX_SELECTIONS_EXCEEDED" in codes


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("accept", "status"),
    [
        (None, 400),
        ("application/graphql-response+json", 400),
        ("application/graphql-response+json, application/json;q=0.9", 400),
        ("application/json", 200),
    ],
)
async def test_the_status_follows_the_accepted_media_type(
    client: httpx.AsyncClient, accept: str | None, status: int
) -> None:
    headers = {"accept": accept} if accept else {}
    response = await client.post(
        "/graphql", json={"query": aliases(10_000, "ping")}, headers=headers
    )
    assert response.status_code == status
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["MAX_TOKENS_EXCEEDED"]
    few = await client.post("/graphql", json={"query": aliases(11, "ping")}, headers=headers)
    assert few.status_code == status
    assert [e["extensions"]["code"] for e in few.json()["errors"]] == ["MAX_ALIASES_EXCEEDED"]


async def test_bad_input_before_execution_is_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "query ($x: [String]) { ping }", "variables": {"x": ["\x00"]}},
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "path": "$x[0]"}


async def test_ordinary_errors_keep_200(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ nope }"})
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    failed = await client.post("/graphql", json={"query": "{ refuse }"})
    assert failed.status_code == 200
    assert failed.json() == {
        "data": None,
        "errors": [
            {
                "message": "No.",
                "locations": [{"line": 1, "column": 3}],
                "path": ["refuse"],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ],
    }


@pytest.mark.timeout(60)
async def test_an_operation_past_its_budget_times_out_while_health_answers(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    stalled = asyncio.create_task(client.post("/graphql", json={"query": "{ stall }"}))
    health = await client.get("/health")
    assert health.status_code == 200
    response = await stalled
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "The operation did not finish within 0.5 seconds.",
                "extensions": {"code": "OPERATION_TIMEOUT"},
            }
        ],
    }
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "timed out" in line.getMessage()
    assert line.exc_info is None
    assert (await client.post("/graphql", json={"query": "{ ping }"})).json() == {
        "data": {"ping": "pong"}
    }


async def test_json_nested_too_deeply_is_a_malformed_body(client: httpx.AsyncClient) -> None:
    body = '{"query": "{ ping }", "variables": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.text == "Unable to parse request body as JSON"
