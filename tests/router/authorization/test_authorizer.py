"""Directive authorization through the router: filtering (default) and reject mode, as Apollo Router."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from subgraphs.common.context import Role
from tests.router.authorization.supergraph import POLICIES, authorization_sdl
from tests.router.hospital import Hospital, build_hospital
from tests.router.jwks import secured_router
from tests.router.loopback import serve_router
from tests.support.tokens import mint

UNAUTHORIZED = "UNAUTHORIZED_FIELD_OR_TYPE"


def _router(
    hospital: Hospital, **settings: Any
) -> contextlib.AbstractAsyncContextManager[httpx.AsyncClient]:
    return secured_router(authorization_sdl(), hospital.as_dict(), **settings)


@pytest.fixture(scope="module")
def hospital() -> Hospital:
    return build_hospital()


@pytest.fixture(scope="module")
async def router(hospital: Hospital) -> AsyncIterator[httpx.AsyncClient]:
    async with _router(hospital, authorization={"policies": POLICIES}) as client:
        yield client


async def _post(
    client: httpx.AsyncClient, query: str, token: str | None = None
) -> tuple[int, dict[str, Any]]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query}, headers=headers)
    return response.status_code, response.json()


def _paths(body: dict[str, Any]) -> list[list[Any]]:
    assert all(e["extensions"]["code"] == UNAUTHORIZED for e in body.get("errors", [])), body
    return [e["path"] for e in body.get("errors", [])]


async def test_an_anonymous_request_gets_null_and_an_error_for_an_authenticated_field(
    router: httpx.AsyncClient, hospital: Hospital
) -> None:
    hospital.reset()
    status, body = await _post(router, '{ patient(id: "p1") { name statementName } }')
    assert status == 200
    assert body["data"] == {"patient": {"name": "Ada Example", "statementName": None}}
    assert _paths(body) == [["patient", "statementName"]]
    assert body["errors"][0]["message"] == "Unauthorized field or type"
    assert hospital.billing.requests == []  # the fetch served only the removed field


async def test_a_removed_non_null_field_nulls_its_parent_with_one_error(
    router: httpx.AsyncClient, hospital: Hospital
) -> None:
    hospital.reset()
    status, body = await _post(router, "{ patients { name balance } }")
    assert status == 200
    assert body["data"] is None  # Patient! in [Patient!]! on a non-null root field
    assert _paths(body) == [["patients", "@", "balance"]]
    assert hospital.billing.requests == []


async def test_scopes_are_or_of_and(router: httpx.AsyncClient, hospital: Hospital) -> None:
    query = '{ patient(id: "p1") { name visits { reason } } }'
    for scopes, allowed in (
        (["visits:read"], True),
        (["admin:all", "visits:all"], True),
        (["admin:all"], False),
        ([], False),
    ):
        hospital.reset()
        status, body = await _post(router, query, mint(role=Role.STAFF, scopes=scopes))
        assert status == 200
        if allowed:
            assert body["data"]["patient"]["visits"][0]["reason"] == "check-up", scopes
            assert "errors" not in body
        else:
            assert body["data"] == {"patient": None}, scopes  # visits is [Visit!]!
            assert _paths(body) == [["patient", "visits"]]
            assert hospital.clinical.requests == []


async def test_a_policy_without_a_rule_is_never_granted(
    router: httpx.AsyncClient, hospital: Hospital
) -> None:
    hospital.reset()
    token = mint(role=Role.ADMIN, scopes=["visits:read"])
    status, body = await _post(router, '{ patient(id: "p1") { visits { reason cost } } }', token)
    assert status == 200
    visits = body["data"]["patient"]["visits"]
    assert visits == [{"reason": "check-up", "cost": None}, {"reason": "fracture", "cost": None}]
    assert _paths(body) == [["patient", "visits", "@", "cost"]]
    assert hospital.billing.requests == []


async def test_a_policy_rule_decides_from_the_role_claim(
    router: httpx.AsyncClient, hospital: Hospital
) -> None:
    query = '{ patient(id: "p1") { balance } }'
    _, admin = await _post(router, query, mint(role=Role.ADMIN))
    assert admin == {"data": {"patient": {"balance": 100}}}
    hospital.reset()
    _, doctor = await _post(router, query, mint(role=Role.DOCTOR))
    assert doctor["data"] == {"patient": None}
    # nothing is left under `patient`: the field goes too, with one error of its own (Apollo)
    assert _paths(doctor) == [["patient"]]
    assert hospital.patients.requests == []


async def test_a_type_directive_removes_its_union_member_fragment(
    router: httpx.AsyncClient,
) -> None:
    query = "{ recentEvents { __typename ... on Visit { reason } ... on Admission { ward } } }"
    _, body = await _post(router, query)
    assert body["data"] == {
        "recentEvents": [{"__typename": "Visit", "reason": "check-up"}, {"__typename": "Admission"}]
    }
    assert _paths(body) == [["recentEvents", "@", "... on Admission"]]
    _, signed_in = await _post(router, query, mint())
    assert signed_in["data"]["recentEvents"][1] == {"__typename": "Admission", "ward": "North"}
    assert "errors" not in signed_in


async def test_aliases_and_named_fragments_are_filtered_in_place(
    router: httpx.AsyncClient,
) -> None:
    query = """
        { p: patient(id: "p1") { ...F } q: patient(id: "p2") { n: name } }
        fragment F on Patient { n: name s: statementName }
    """
    _, body = await _post(router, query)
    assert body["data"] == {"p": {"n": "Ada Example", "s": None}, "q": {"n": "Bob Sample"}}
    assert _paths(body) == [["p", "s"]]


async def test_introspection_is_not_filtered(router: httpx.AsyncClient) -> None:
    _, body = await _post(router, '{ __type(name: "Patient") { fields { name } } }')
    assert "errors" not in body
    assert {"balance", "statementName"} <= {f["name"] for f in body["data"]["__type"]["fields"]}


async def test_the_token_still_reaches_the_subgraphs(
    router: httpx.AsyncClient, hospital: Hospital
) -> None:
    hospital.reset()
    token = mint(role=Role.ADMIN)
    _, body = await _post(router, '{ patient(id: "p1") { name statementName } }', token)
    assert body["data"]["patient"]["statementName"] == "Statement for Ada Example"
    assert hospital.billing.headers[0]["authorization"] == f"Bearer {token}"


async def test_reject_mode_refuses_the_whole_operation(hospital: Hospital) -> None:
    settings = {"policies": POLICIES, "reject_unauthorized": True}
    async with _router(hospital, authorization=settings) as client:
        hospital.reset()
        status, body = await _post(client, '{ patient(id: "p1") { name statementName } }')
        assert status == 403
        assert "data" not in body
        assert _paths(body) == [["patient", "statementName"]]
        assert hospital.patients.requests == []
        status, body = await _post(client, '{ patient(id: "p1") { name } }')
        assert (status, body) == (200, {"data": {"patient": {"name": "Ada Example"}}})


async def test_without_authentication_configured_nothing_is_filtered(hospital: Hospital) -> None:
    async with (
        serve_router(authorization_sdl(), hospital.as_dict()) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as client,
    ):
        _, body = await _post(client, '{ patient(id: "p1") { statementName } }')
    assert body == {"data": {"patient": {"statementName": "Statement for Ada Example"}}}


async def test_variables_of_removed_fields_are_not_sent(
    router: httpx.AsyncClient, hospital: Hospital
) -> None:
    hospital.reset()
    query = 'query ($last: Int) { patient(id: "p1") { name visits(last: $last) { reason } } }'
    response = await router.post(
        "/graphql",
        json={"query": query, "variables": {"last": 1}},
        headers={"authorization": f"Bearer {mint(role=Role.STAFF, scopes=[])}"},
    )
    body = response.json()
    assert body["data"] == {"patient": None}
    assert _paths(body) == [["patient", "visits"]]
    assert [r.get("variables") or {} for r in hospital.patients.requests] == [{}]
    assert hospital.clinical.requests == []
