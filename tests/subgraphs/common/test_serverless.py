"""The Lambda handlers, invoked here with API Gateway HTTP API (payload 2.0) events, as Lambda would."""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from subgraphs.auth import serverless as auth_serverless
from subgraphs.billing import serverless as billing_serverless
from subgraphs.stack.ports import free_port
from tests.conftest import ServiceDatabaseFactory


def http_api_event(method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """What API Gateway sends a function for one request (payload format version 2.0)."""
    source = "203.0.113.9"
    return {
        "version": "2.0",
        "routeKey": "ANY /{proxy+}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "host": "abc123.execute-api.eu-west-2.amazonaws.com",
            "content-type": "application/json",
            "x-forwarded-for": source,
            "x-forwarded-proto": "https",
            "x-forwarded-port": "443",
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.eu-west-2.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source,
                "userAgent": "pytest",
            },
            "requestId": secrets.token_hex(8),
            "routeKey": "ANY /{proxy+}",
            "stage": "$default",
            "time": "07/Dec/2026:09:00:00 +0000",
            "timeEpoch": 1796634000000,
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
        "pathParameters": {"proxy": path.lstrip("/")},
    }


@pytest.fixture
async def auth_database_url(service_database: ServiceDatabaseFactory) -> str:
    return await service_database("auth")


@pytest.fixture
async def billing_database_url(service_database: ServiceDatabaseFactory) -> str:
    return await service_database("billing")


CONTEXT = SimpleNamespace(function_name="healthgraph-test", aws_request_id="test")


def decoded(response: dict[str, Any]) -> Any:
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode()
    return json.loads(body)


@pytest.fixture
def lambda_env(monkeypatch: pytest.MonkeyPatch, redis_url: str, tmp_path: Path) -> None:
    """The variables deploy/serverless/template.yaml gives both functions."""
    monkeypatch.setenv("HEALTHGRAPH_ENVIRONMENT", "production")
    monkeypatch.setenv("HEALTHGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")
    monkeypatch.setenv("HEALTHGRAPH_FORWARDED_SECRET", secrets.token_urlsafe(16))


def test_auth_serves_rest_and_graphql_from_an_api_gateway_event(
    lambda_env: None, monkeypatch: pytest.MonkeyPatch, auth_database_url: str
) -> None:
    monkeypatch.setenv("AUTH_DATABASE_URL", auth_database_url)
    monkeypatch.setenv("AUTH_SECRET_KEY", base64.b64encode(secrets.token_bytes(32)).decode())
    monkeypatch.setenv("AUTH_OUTBOX_RELAY_ENABLED", "false")
    monkeypatch.setenv("AUTH_PASSWORD_MEMORY_KIB", "1024")
    health = auth_serverless.handler(http_api_event("GET", "/health"), CONTEXT)
    assert health["statusCode"] == 200
    assert decoded(health) == {"status": "ok"}
    keys = auth_serverless.handler(http_api_event("GET", "/.well-known/jwks.json"), CONTEXT)
    assert keys["statusCode"] == 200
    assert decoded(keys)["keys"]
    login = 'mutation { login(email: "nobody@example.test", password: "not the password") { __typename } }'
    answer = auth_serverless.handler(http_api_event("POST", "/graphql", {"query": login}), CONTEXT)
    assert answer["statusCode"] == 200
    [error] = decoded(answer)["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"  # auth refused the password


def test_billing_serves_http_without_its_long_running_parts(
    lambda_env: None, monkeypatch: pytest.MonkeyPatch, billing_database_url: str
) -> None:
    monkeypatch.setenv("BILLING_DATABASE_URL", billing_database_url)
    monkeypatch.setenv("BILLING_CHAIN_RPC_URL", f"http://127.0.0.1:{free_port()}")
    for switch in ("GRPC", "OUTBOX_RELAY", "APPOINTMENT_CONSUMER", "REGISTRATION_CONSUMER"):
        monkeypatch.setenv(f"BILLING_{switch}_ENABLED", "false")
    health = billing_serverless.handler(http_api_event("GET", "/health"), CONTEXT)
    assert health["statusCode"] == 200
    anonymous = billing_serverless.handler(
        http_api_event("POST", "/graphql", {"query": "{ __typename }"}), CONTEXT
    )
    assert anonymous["statusCode"] == 200
    assert decoded(anonymous) == {"data": {"__typename": "Query"}}
