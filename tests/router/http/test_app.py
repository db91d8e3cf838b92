"""GraphQL over HTTP behaviour of the router's front."""

from __future__ import annotations

import json

import httpx

from tests.router.conftest import post
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve_router


def _no_calls(hospital: Hospital) -> bool:
    return not any(s.requests for s in hospital.as_dict().values())


async def test_health(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200


async def test_favicon_is_no_content(client: httpx.AsyncClient) -> None:
    response = await client.get("/favicon.ico")
    assert response.status_code == 204
    assert response.headers["cache-control"] == "public, max-age=86400"


async def test_syntax_error_is_400_before_any_fetch(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    response = await post(client, "{ patients { ")
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert "data" not in response.json()
    assert _no_calls(hospital)


async def test_unknown_and_inaccessible_fields_are_rejected(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    for query in ("{ patients { nope } }", "{ patients { ssn } }"):
        response = await post(client, query)
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert _no_calls(hospital)


async def test_invalid_variables_are_rejected(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    response = await post(
        client, "query ($id: ID!) { patient(id: $id) { name } }", variables={"id": {"x": 1}}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    missing = await post(client, "query ($id: ID!) { patient(id: $id) { name } }")
    assert missing.status_code == 400
    assert _no_calls(hospital)


async def test_unknown_operation_name(client: httpx.AsyncClient) -> None:
    response = await post(client, "query A { patients { id } }", operationName="B")
    assert response.status_code == 400
    assert "Unknown operation named 'B'" in response.json()["errors"][0]["message"]


async def test_operation_name_selects_operation(client: httpx.AsyncClient) -> None:
    document = 'query A { patient(id: "p1") { id } } query B { patient(id: "p2") { id } }'
    response = await post(client, document, operationName="B")
    assert response.json() == {"data": {"patient": {"id": "p2"}}}


async def test_get_runs_queries_only(client: httpx.AsyncClient) -> None:
    preflight = {"apollo-require-preflight": "true"}  # CSRF prevention (router/http/csrf.py)
    response = await client.get(
        "/graphql",
        params={
            "query": "query ($id: ID!) { patient(id: $id) { name } }",
            "variables": '{"id": "p1"}',
        },
        headers=preflight,
    )
    assert response.json() == {"data": {"patient": {"name": "Ada Example"}}}
    mutation = await client.get(
        "/graphql",
        params={"query": 'mutation { renamePatient(id: "p1", name: "X") { id } }'},
        headers=preflight,
    )
    assert mutation.status_code == 405


async def test_graphql_response_media_type(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        content=json.dumps({"query": "{ patients { id } }"}),
        headers={
            "content-type": "application/json",
            "accept": "application/graphql-response+json",
        },
    )
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json() == {"data": {"patients": [{"id": "p1"}, {"id": "p2"}]}}


async def test_bad_bodies(client: httpx.AsyncClient) -> None:
    not_json = await client.post(
        "/graphql", content="{", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400
    form = await client.post("/graphql", content="query=x", headers={"content-type": "text/plain"})
    assert form.status_code == 400  # a "simple" request without a preflight header: CSRF
    assert form.json()["errors"][0]["extensions"]["code"] == "CSRF_ERROR"
    form = await client.post(
        "/graphql",
        content="query=x",
        headers={"content-type": "text/plain", "apollo-require-preflight": "true"},
    )
    assert form.status_code == 415
    no_query = await client.post("/graphql", json={"variables": {}})
    assert no_query.status_code == 400


async def test_headers_propagate_to_subgraphs(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": '{ patient(id: "p1") { name balance } }'},
        headers={
            "authorization": "Bearer synthetic",
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "x-request-id": "req-123",
            "cookie": "never=forwarded",
        },
    )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-123"
    for headers in (hospital.patients.headers[0], hospital.billing.headers[0]):
        assert headers["authorization"] == "Bearer synthetic"
        assert headers["traceparent"].startswith("00-0af7651916cd43dd")
        assert headers["x-request-id"] == "req-123"
        assert "cookie" not in headers


async def test_introspection_answers_from_the_api_schema(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    query = '{ __typename __schema { types { name } } __type(name: "Patient") { fields { name } } }'
    response = await post(client, query)
    body = response.json()
    names = {t["name"] for t in body["data"]["__schema"]["types"]}
    assert "Patient" in names
    assert not any(n.startswith(("join__", "link__")) for n in names)
    fields = {f["name"] for f in body["data"]["__type"]["fields"]}
    assert "ssn" not in fields
    assert body["data"]["__typename"] == "Query"
    assert _no_calls(hospital)


async def test_query_plan_is_exposed_only_when_enabled(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    headers = {"x-expose-query-plan": "true"}
    hidden = await client.post("/graphql", json={"query": "{ patients { id } }"}, headers=headers)
    assert "extensions" not in hidden.json()
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), expose_query_plan=True) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        shown = await http.post("/graphql", json={"query": "{ patients { id } }"}, headers=headers)
    assert shown.json()["extensions"]["queryPlan"] == {
        "kind": "Fetch",
        "serviceName": "patients",
        "operation": "query{patients{id}}",
    }
