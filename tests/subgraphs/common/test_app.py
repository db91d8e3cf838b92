"""The service app every subgraph runs: GraphQL with stable error codes, health and readiness."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import pytest
import strawberry

from subgraphs.common.app import create_service_app
from subgraphs.common.context import RequestContext
from subgraphs.common.errors import Conflict, Unauthenticated
from subgraphs.common.service_schema import ServiceSchema
from subgraphs.common.settings import ServiceSettings
from tests.conftest import ServiceDatabaseFactory


@strawberry.type
class Query:
    @strawberry.field
    def whoami(self, info: strawberry.Info[RequestContext, None]) -> str:
        return info.context.caller.actor

    @strawberry.field
    def clash(self) -> str:
        raise Conflict("That slot is taken.", extensions={"conflicts": ["09:00"]})

    @strawberry.field
    def crash(self) -> str:
        raise RuntimeError("internal detail that must not leak")


class StaticVerifier:
    async def verify(self, token: str) -> Mapping[str, Any]:
        if token != "good":
            raise Unauthenticated("Invalid access token.")
        return {
            "sub": "00000000-0000-4000-8000-000000000001",
            "role": "DOCTOR",
            "scope": "a b",
        }


@pytest.fixture
async def client(
    service_database: ServiceDatabaseFactory, kafka_bootstrap: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(
        database_url=await service_database("common"), kafka_bootstrap_servers=kafka_bootstrap
    )
    schema = ServiceSchema(query=Query)
    app = create_service_app(title="test", settings=settings, schema=schema)
    app.state.service.verifier = StaticVerifier()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
    await app.state.service.database.dispose()


async def query(client: httpx.AsyncClient, text: str, **headers: str) -> httpx.Response:
    return await client.post("/graphql", json={"query": text}, headers=headers)


async def test_anonymous_and_authenticated_callers(client: httpx.AsyncClient) -> None:
    anonymous = await query(client, "{ whoami }")
    assert anonymous.json() == {"data": {"whoami": "anonymous"}}
    signed_in = await query(client, "{ whoami }", authorization="Bearer good")
    assert signed_in.json() == {"data": {"whoami": "00000000-0000-4000-8000-000000000001"}}


async def test_invalid_token_is_unauthenticated(client: httpx.AsyncClient) -> None:
    response = await query(client, "{ whoami }", authorization="Bearer forged")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_domain_errors_keep_message_and_code(client: httpx.AsyncClient) -> None:
    error = (await query(client, "{ clash }")).json()["errors"][0]
    assert error["message"] == "That slot is taken."
    assert error["extensions"] == {"code": "CONFLICT", "conflicts": ["09:00"]}


async def test_unexpected_errors_are_masked(client: httpx.AsyncClient) -> None:
    error = (await query(client, "{ crash }")).json()["errors"][0]
    assert error["message"] == "Internal server error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "internal detail" not in str(error)


async def test_validation_errors_have_a_code(client: httpx.AsyncClient) -> None:
    response = await query(client, "{ nope }")
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_favicon_is_no_content(client: httpx.AsyncClient) -> None:
    response = await client.get("/favicon.ico")
    assert response.status_code == 204
    assert response.headers["cache-control"] == "public, max-age=86400"


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "outbox": "ok"},
    }
