"""JSON array batching: off by default, bounded when on; each operation answered in order."""

from __future__ import annotations

import httpx

from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve_router


async def test_batches_are_refused_by_default(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    response = await client.post("/graphql", json=[{"query": "{ patients { id } }"}])
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BATCHING_NOT_ENABLED"
    assert not any(s.requests for s in hospital.as_dict().values())


async def test_enabled_batches_answer_each_operation(hospital: Hospital) -> None:
    hospital.reset()
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), batching=True, max_batch_size=3) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        batch = [
            {"query": "{ patients { id } }"},
            {"query": '{ patient(id: "p2") { name } }'},
            {"query": "{ nope }"},
        ]
        response = await http.post("/graphql", json=batch)
        assert response.status_code == 200
        first, second, third = response.json()
        assert first == {"data": {"patients": [{"id": "p1"}, {"id": "p2"}]}}
        assert second == {"data": {"patient": {"name": "Bob Sample"}}}
        assert third["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert response.headers["x-request-id"]
        hospital.reset()
        too_many = await http.post("/graphql", json=batch + batch[:1])
        assert too_many.status_code == 400
        [error] = too_many.json()["errors"]
        assert error["extensions"] == {
            "code": "BATCH_LIMIT_EXCEEDED",
            "limit": "max_batch_size",
            "maximum": 3,
        }
        assert not any(s.requests for s in hospital.as_dict().values())
        empty = await http.post("/graphql", json=[])
        assert empty.status_code == 400


async def test_each_operation_of_a_batch_takes_a_rate_limit_token(hospital: Hospital) -> None:
    """OWASP: batching must not multiply guesses (e.g. MFA codes) past the rate limit."""
    hospital.reset()
    settings = {"batching": True, "rate_limit_per_address": 3}
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), **settings) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        batch = [{"query": "{ patients { id } }"}] * 4
        response = await http.post("/graphql", json=batch)
        answers = response.json()
        assert [a.get("data") is not None for a in answers] == [True, True, True, False]
        assert answers[3]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert response.headers["ratelimit"] == '"address";r=0;t=20'
        assert response.headers["retry-after"] == "20"
