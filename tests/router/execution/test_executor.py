"""End-to-end execution through the router against fake subgraphs."""

from __future__ import annotations

import httpx

from tests.router.conftest import post
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve, serve_router


async def test_entity_call_merges_subgraph_results(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ patients { name visits { reason } } }")
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "patients": [
                {"name": "Ada Example", "visits": [{"reason": "check-up"}, {"reason": "fracture"}]},
                {"name": "Bob Sample", "visits": [{"reason": "classified"}]},
            ]
        }
    }


async def test_representations_are_deduplicated(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    response = await post(client, "{ wards { head { balance } } }")
    assert response.json() == {
        "data": {"wards": [{"head": {"balance": 100}}, {"head": None}, {"head": {"balance": 100}}]}
    }
    entity_calls = [r for r in hospital.billing.requests if "_entities" in r["query"]]
    assert len(entity_calls) == 1
    assert entity_calls[0]["variables"]["representations"] == [
        {"__typename": "Patient", "id": "p1"}
    ]


async def test_requires_sends_required_fields(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    response = await post(client, '{ patient(id: "p2") { statementName } }')
    assert response.json() == {"data": {"patient": {"statementName": "Statement for Bob Sample"}}}
    representation = hospital.billing.requests[0]["variables"]["representations"][0]
    assert representation == {"__typename": "Patient", "id": "p2", "name": "Bob Sample"}


async def test_provides_avoids_a_fetch(client: httpx.AsyncClient, hospital: Hospital) -> None:
    response = await post(client, "{ wards { name head { name } } }")
    assert response.json() == {
        "data": {
            "wards": [
                {"name": "North", "head": {"name": "Ada Example"}},
                {"name": "South", "head": None},
                {"name": "East", "head": {"name": "Ada Example"}},
            ]
        }
    }
    assert hospital.patients.requests == []


async def test_union_fragments_typename_and_unrequested_fields_removed(
    client: httpx.AsyncClient,
) -> None:
    query = """{ recentEvents { __typename ... on Visit { reason cost }
                 ... on Admission { ward patient { name } } } }"""
    response = await post(client, query)
    assert response.json() == {
        "data": {
            "recentEvents": [
                {"__typename": "Visit", "reason": "check-up", "cost": 40},
                {"__typename": "Admission", "ward": "North", "patient": {"name": "Bob Sample"}},
            ]
        }
    }


async def test_aliases_fragments_and_variables(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    query = """query Chart($id: ID!, $last: Int) {
                 p: patient(id: $id) { ...Money n: name visits(last: $last) { reason } } }
               fragment Money on Patient { owed: balance }"""
    response = await post(client, query, variables={"id": "p1", "last": 1})
    assert response.json() == {
        "data": {"p": {"owed": 100, "n": "Ada Example", "visits": [{"reason": "fracture"}]}}
    }
    assert hospital.patients.requests[0]["variables"] == {"id": "p1"}
    clinical_variables = hospital.clinical.requests[0]["variables"]
    assert clinical_variables["last"] == 1
    assert "id" not in clinical_variables
    assert "variables" not in hospital.billing.requests[0] or set(
        hospital.billing.requests[0]["variables"]
    ) == {"representations"}


async def test_skip_and_include(client: httpx.AsyncClient) -> None:
    query = """query ($with: Boolean!) { patient(id: "p1") {
                 visits(last: 1) @include(if: $with) { reason } balance @skip(if: $with) } }"""
    shown = await post(client, query, variables={"with": True})
    assert shown.json() == {"data": {"patient": {"visits": [{"reason": "fracture"}]}}}
    hidden = await post(client, query, variables={"with": False})
    assert hidden.json() == {"data": {"patient": {"balance": 100}}}


async def test_null_propagates_to_nullable_parent(client: httpx.AsyncClient) -> None:
    response = await post(client, '{ patient(id: "p2") { id balance } }')
    body = response.json()
    assert body["data"] == {"patient": None}
    assert body["errors"][0]["path"] == ["patient", "balance"]


async def test_null_propagates_to_data_through_non_null_fields(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ patients { id balance } }")
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["path"] == ["patients", 1, "balance"]


async def test_inaccessible_enum_value_is_nulled_with_error(client: httpx.AsyncClient) -> None:
    response = await post(client, '{ patient(id: "p2") { visits { reason priority } } }')
    body = response.json()
    assert body["data"] == {"patient": {"visits": [{"reason": "classified", "priority": None}]}}
    assert body["errors"][0]["extensions"]["code"] == "INVALID_ENUM_VALUE"
    assert body["errors"][0]["path"] == ["patient", "visits", 0, "priority"]


async def test_mutations_run_in_order(client: httpx.AsyncClient, hospital: Hospital) -> None:
    hospital.log.clear()  # type: ignore[attr-defined]
    query = """mutation { first: renamePatient(id: "p2", name: "Bob One") { name }
                 charge(patientId: "p2", amount: 5) { amount }
                 second: renamePatient(id: "p2", name: "Bob Sample") { name } }"""
    response = await post(client, query)
    assert response.json() == {
        "data": {
            "first": {"name": "Bob One"},
            "charge": {"amount": 5},
            "second": {"name": "Bob Sample"},
        }
    }
    assert hospital.log == ["rename:Bob One", "charge:5", "rename:Bob Sample"]  # type: ignore[attr-defined]


async def test_subgraph_errors_are_repathed(client: httpx.AsyncClient) -> None:
    response = await post(client, '{ patient(id: "p1") { visits(last: "x") { reason } } }')
    assert response.status_code == 400  # invalid argument literal is caught before any fetch


async def test_slow_subgraph_times_out_but_data_survives(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    hospital.clinical.delay = 3.0
    response = await post(client, '{ patient(id: "p1") { name visits { reason } } }')
    body = response.json()
    assert response.status_code == 200
    assert body["data"] == {"patient": None}
    assert body["errors"][0]["extensions"]["code"] == "SUBREQUEST_HTTP_ERROR"
    assert body["errors"][0]["path"] == ["patient"]
    assert "clinical" in body["errors"][0]["message"]


async def test_entity_errors_are_repathed_to_client_paths(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ patients { visits { id cost } } }")
    body = response.json()
    assert body["data"]["patients"][1] == {"visits": [{"id": "v3", "cost": None}]}
    assert body["data"]["patients"][0]["visits"][0] == {"id": "v1", "cost": 40}
    error = body["errors"][0]
    assert error["message"] == "cost of v3 is sealed"
    assert error["path"] == ["patients", 1, "visits", 0]
    assert error["extensions"]["service"] == "billing"
    assert "locations" not in error


async def test_down_subgraph_yields_errors_and_partial_data(hospital: Hospital) -> None:
    sdl = sample_sdl()
    subgraphs = {"patients": hospital.patients, "clinical": hospital.clinical}
    async with (
        serve_router(sdl, subgraphs) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        response = await post(http, '{ patient(id: "p1") { name statementName } }')
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"patient": {"name": "Ada Example", "statementName": None}}
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"SUBREQUEST_HTTP_ERROR"}
    assert ["patient"] in [e.get("path") for e in body["errors"]]


async def test_malformed_subgraph_and_per_subgraph_timeout(hospital: Hospital) -> None:
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    async def broken(_: object) -> PlainTextResponse:
        return PlainTextResponse("<html>bad gateway</html>", status_code=502)

    sdl = sample_sdl()
    hospital.clinical.delay = 0.5
    async with (
        serve(Starlette(routes=[Route("/graphql", broken, methods=["POST"])])) as billing,
        serve_router(
            sdl,
            {"patients": hospital.patients, "clinical": hospital.clinical},
            subgraph_urls_extra={"billing": f"{billing}/graphql"},
            subgraph_timeouts={"clinical": 0.1},
        ) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        response = await post(http, '{ patient(id: "p1") { name statementName } wards { name } }')
    hospital.clinical.delay = 0.0
    body = response.json()
    assert response.status_code == 200
    assert body["data"] is None  # `wards` is non-null, so its timeout nulls the whole data
    messages = " ".join(e["message"] for e in body["errors"])
    assert "invalid JSON response (HTTP 502)" in messages
    assert "'clinical': request timed out" in messages


def test_a_subgraphs_retry_after_survives_error_rewriting() -> None:
    from router.execution.executor import Executor

    raw = {
        "message": "Too many attempts",
        "extensions": {
            "code": "RATE_LIMITED",
            "retryAfter": 42,
            "stacktrace": ["hidden"],
            "exception": {"type": "X"},
        },
    }
    assert Executor._error(raw, ["login"], "auth") == {
        "message": "Too many attempts",
        "path": ["login"],
        "extensions": {"code": "RATE_LIMITED", "service": "auth", "retryAfter": 42},
    }
    raw["extensions"] = {"code": "RATE_LIMITED", "retryAfter": "soon"}
    assert "retryAfter" not in Executor._error(raw, None, "auth")["extensions"]
    raw["extensions"] = {"code": "CONFLICT", "conflicts": [{"id": "a1"}, {"id": "a2"}]}
    assert Executor._error(raw, None, "clinical")["extensions"] == {
        "code": "CONFLICT",
        "conflicts": [{"id": "a1"}, {"id": "a2"}],
        "service": "clinical",
    }
