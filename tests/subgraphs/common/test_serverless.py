"""The Lambda handlers, invoked here with API Gateway HTTP API (payload 2.0) events, as Lambda would."""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from subgraphs.auth import serverless as auth_serverless
from subgraphs.auth.settings import AuthSettings
from subgraphs.billing import serverless as billing_serverless
from subgraphs.billing.settings import BillingSettings
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


class _TemplateLoader(yaml.SafeLoader):
    """CloudFormation's short forms (``!Ref``, ``!Sub``, ``!GetAtt``) as ``(function, argument)``."""


for _tag in ("!Ref", "!Sub", "!GetAtt"):
    _TemplateLoader.add_constructor(
        _tag, lambda loader, node, tag=_tag: (tag[1:], loader.construct_scalar(node))
    )


def template_environment(
    repo_root: Path, function: str, parameters: dict[str, str], secret: dict[str, str]
) -> dict[str, str]:
    """What deploy/serverless/template.yaml gives ``function``: the Globals' variables, then its
    own, with parameters and Secrets Manager dynamic references resolved."""
    path = repo_root / "deploy" / "serverless" / "template.yaml"
    template = yaml.load(path.read_text(), Loader=_TemplateLoader)
    variables = {
        **template["Globals"]["Function"]["Environment"]["Variables"],
        **template["Resources"][function]["Properties"]["Environment"]["Variables"],
    }

    def resolve(value: object) -> str:
        if isinstance(value, tuple) and value[0] == "Ref":
            return parameters[value[1]]
        if isinstance(value, tuple) and value[0] == "Sub":
            text = re.sub(r"\$\{(\w+)\}", lambda m: parameters[m.group(1)], value[1])
            return re.sub(
                r"\{\{resolve:secretsmanager:[^:]+:SecretString:(\w+)\}\}",
                lambda m: secret[m.group(1)],
                text,
            )
        return str(value)

    return {name: resolve(value) for name, value in variables.items()}


@pytest.fixture
def lambda_env(
    monkeypatch: pytest.MonkeyPatch,
    repo_root: Path,
    redis_url: str,
    tmp_path: Path,
    auth_database_url: str,
    billing_database_url: str,
) -> Callable[[str], None]:
    """``use(function)``: this process's environment as the template configures ``function``,
    its parameters and secret pointing at services here (no broker, no chain node)."""
    parameters = {
        "KafkaBootstrapServers": f"127.0.0.1:{free_port()}",
        "RedisUrl": redis_url,
        "JwtIssuer": "https://auth.healthgraph.example",
        "ChainRpcUrl": f"http://127.0.0.1:{free_port()}",
        "SecretName": "healthgraph/production",
    }
    secret = {
        "auth_database_url": auth_database_url,
        "billing_database_url": billing_database_url,
        "auth_secret_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "forwarded_secret": secrets.token_urlsafe(16),
    }

    def use(function: str) -> None:
        env = template_environment(repo_root, function, parameters, secret)
        env["HEALTHGRAPH_DATA_DIR"] = str(tmp_path / "data")  # Lambda's /tmp, per test here
        for name, value in env.items():
            monkeypatch.setenv(name, value)

    return use


def test_auth_serves_rest_and_graphql_from_an_api_gateway_event(
    lambda_env: Callable[[str], None],
) -> None:
    lambda_env("AuthFunction")
    settings = AuthSettings()
    assert settings.production
    assert not settings.outbox_relay_enabled  # the relay runs on the pods
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
    lambda_env: Callable[[str], None],
) -> None:
    lambda_env("BillingFunction")
    settings = BillingSettings()
    assert settings.production
    assert not settings.grpc_enabled
    assert not settings.outbox_relay_enabled
    assert not settings.appointment_consumer_enabled
    assert not settings.registration_consumer_enabled
    health = billing_serverless.handler(http_api_event("GET", "/health"), CONTEXT)
    assert health["statusCode"] == 200
    anonymous = billing_serverless.handler(
        http_api_event("POST", "/graphql", {"query": "{ __typename }"}), CONTEXT
    )
    assert anonymous["statusCode"] == 200
    assert decoded(anonymous) == {"data": {"__typename": "Query"}}
