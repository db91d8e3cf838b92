"""In-flight deduplication: a burst of identical subgraph queries costs one call, and only then."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from router.execution.dedup import InFlightQueries, is_query
from router.execution.http1 import HttpResponse
from tests.router.hospital import Hospital, build_hospital
from tests.router.loopback import sample_sdl, serve_router

BURST = 20
# one root fetch to patients, then one entity fetch to clinical for every patient
NESTED = "{ patients { id name visits { id reason } } }"
RENAME = 'mutation { renamePatient(id: "p2", name: "Bob Sample") { id name } }'


@pytest.fixture
def hospital() -> Hospital:
    hospital = build_hospital()
    hospital.patients.delay = hospital.clinical.delay = 0.2  # the burst lands while in flight
    return hospital


async def _burst(
    url: str, body: dict[str, Any], authorizations: list[str | None]
) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:

        async def one(authorization: str | None) -> dict[str, Any]:
            headers = {"authorization": authorization} if authorization else {}
            response = await http.post("/graphql", json=body, headers=headers)
            assert response.status_code == 200
            answer: dict[str, Any] = response.json()
            return answer

        return await asyncio.gather(*(one(a) for a in authorizations))


@pytest.fixture
async def router(hospital: Hospital) -> AsyncIterator[str]:
    async with serve_router(sample_sdl(), hospital.as_dict()) as url:
        yield url


async def test_a_burst_of_equal_queries_costs_one_call_per_fetch(
    router: str, hospital: Hospital
) -> None:
    answers = await _burst(router, {"query": NESTED}, ["Bearer same"] * BURST)
    assert all(answer == answers[0] for answer in answers)
    assert "errors" not in answers[0]
    assert answers[0]["data"]["patients"][0]["visits"][0]["id"] == "v1"
    assert len(hospital.patients.requests) == 1
    assert len(hospital.clinical.requests) == 1
    # the call that was sent carried the authorization context
    assert hospital.patients.headers[0]["authorization"] == "Bearer same"


async def test_different_authorization_contexts_never_share(
    router: str, hospital: Hospital
) -> None:
    tokens: list[str | None] = ["Bearer a", "Bearer b", None] * 4
    await _burst(router, {"query": NESTED}, tokens)
    seen = sorted(str(headers.get("authorization")) for headers in hospital.patients.headers)
    assert seen == ["Bearer a", "Bearer b", "None"]
    assert len(hospital.clinical.requests) == 3


async def test_different_variables_are_different_queries(router: str, hospital: Hospital) -> None:
    query = "query ($id: ID!) { patient(id: $id) { id name } }"
    async with httpx.AsyncClient(base_url=router, timeout=10) as http:
        await asyncio.gather(
            *(
                http.post("/graphql", json={"query": query, "variables": {"id": f"p{1 + i % 2}"}})
                for i in range(10)
            )
        )
    assert sorted(r["variables"]["id"] for r in hospital.patients.requests) == ["p1", "p2"]


async def test_mutations_are_never_deduplicated(router: str, hospital: Hospital) -> None:
    answers = await _burst(router, {"query": RENAME}, ["Bearer same"] * 5)
    assert all(a["data"]["renamePatient"]["name"] == "Bob Sample" for a in answers)
    assert len(hospital.patients.requests) == 5


async def test_deduplication_can_be_turned_off(hospital: Hospital) -> None:
    async with serve_router(sample_sdl(), hospital.as_dict(), query_deduplication=False) as url:
        await _burst(url, {"query": NESTED}, ["Bearer same"] * 5)
    assert len(hospital.patients.requests) == 5
    assert len(hospital.clinical.requests) == 5


async def test_one_cancelled_caller_does_not_cancel_the_others() -> None:
    in_flight = InFlightQueries(["x-request-id"])
    release = asyncio.Event()
    calls = 0

    async def send() -> HttpResponse:
        nonlocal calls
        calls += 1
        await release.wait()
        return HttpResponse(200, b'{"data":{}}')

    key = in_flight.key("http://s/graphql", b"{}", {"x-request-id": "1", "authorization": "t"})
    assert key == in_flight.key(
        "http://s/graphql", b"{}", {"authorization": "t", "X-Request-Id": "2"}
    )
    first = asyncio.create_task(in_flight.run(key, send))
    second = asyncio.create_task(in_flight.run(key, send))
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    assert (await second).status == 200
    assert calls == 1
    assert (in_flight.sent, in_flight.shared, len(in_flight)) == (1, 1, 0)


def test_only_queries_qualify() -> None:
    assert is_query("query Q { a }")
    assert is_query("  { a }")
    assert not is_query("mutation { a }")
    assert not is_query("subscription { a }")
