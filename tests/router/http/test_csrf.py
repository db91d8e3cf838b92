"""CSRF prevention as Apollo Router's: simple requests need a preflight header."""

from __future__ import annotations

import httpx
import pytest

from router.http.csrf import preflighted
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve_router

REQUIRED = ("x-apollo-operation-name", "apollo-require-preflight")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"content-type": "application/json"}, True),
        ({"content-type": "application/json; charset=utf-8"}, True),
        ({"content-type": "application/graphql-response+json"}, True),
        ({}, False),  # a GET, or a POST without Content-Type
        ({"content-type": "text/plain"}, False),
        ({"content-type": "Text/Plain; charset=utf-8"}, False),
        ({"content-type": "application/x-www-form-urlencoded"}, False),
        ({"content-type": "multipart/form-data; boundary=x"}, False),
        ({"content-type": "text/plain", "apollo-require-preflight": "true"}, True),
        ({"x-apollo-operation-name": "Q"}, True),
    ],
)
def test_preflighted(headers: dict[str, str], expected: bool) -> None:
    assert preflighted(headers, REQUIRED) is expected


async def test_simple_requests_are_refused_through_the_router(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    query = {"query": "{ patients { id } }"}
    get = await client.get("/graphql", params=query)
    assert get.status_code == 400
    assert get.json()["errors"][0]["extensions"]["code"] == "CSRF_ERROR"
    form = await client.post("/graphql", data=query)  # what a cross-site <form> can send
    assert form.status_code == 400
    assert form.json()["errors"][0]["extensions"]["code"] == "CSRF_ERROR"
    assert not any(s.requests for s in hospital.as_dict().values())
    named = await client.get("/graphql", params=query, headers={"x-apollo-operation-name": "P"})
    assert named.json()["data"]["patients"][0] == {"id": "p1"}
    posted = await client.post("/graphql", json=query)  # application/json: preflighted
    assert posted.status_code == 200


async def test_csrf_prevention_can_be_turned_off(hospital: Hospital) -> None:
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), csrf_prevention=False) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        response = await http.get("/graphql", params={"query": "{ patients { id } }"})
        assert response.status_code == 200
