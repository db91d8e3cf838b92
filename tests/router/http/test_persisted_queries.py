"""Through the router: APQ over POST and GET (in memory and in Redis), trusted documents."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import orjson

from router.persisted import query_hash
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve_router

QUERY = "{ patients { id } }"
ANSWER = {"data": {"patients": [{"id": "p1"}, {"id": "p2"}]}}


def _extensions(digest: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


async def test_apq_round_trip_over_post_and_get(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    digest = query_hash(QUERY)
    missing = await client.post("/graphql", json={"extensions": _extensions(digest)})
    assert missing.status_code == 200  # what Apollo Client's persisted query link expects
    assert missing.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert not any(s.requests for s in hospital.as_dict().values())
    registered = await client.post(
        "/graphql", json={"query": QUERY, "extensions": _extensions(digest)}
    )
    assert registered.json() == ANSWER
    hit = await client.post("/graphql", json={"extensions": _extensions(digest)})
    assert hit.json() == ANSWER
    get = await client.get(
        "/graphql",
        params={"extensions": json.dumps(_extensions(digest))},
        headers={"apollo-require-preflight": "true"},
    )
    assert get.json() == ANSWER


async def test_a_mismatched_hash_is_refused(client: httpx.AsyncClient, hospital: Hospital) -> None:
    response = await client.post(
        "/graphql", json={"query": QUERY, "extensions": _extensions(query_hash("{ x }"))}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert not any(s.requests for s in hospital.as_dict().values())


async def test_routers_share_apq_through_redis(hospital: Hospital, redis_url: str) -> None:
    query = '{ patient(id: "p1") { name } }'
    digest = query_hash(query)
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), redis_url=redis_url) as first,
        serve_router(sample_sdl(), hospital.as_dict(), redis_url=redis_url) as second,
        httpx.AsyncClient() as http,
    ):
        body = {"query": query, "extensions": _extensions(digest)}
        assert (await http.post(f"{first}/graphql", json=body)).status_code == 200
        hit = await http.post(f"{second}/graphql", json={"extensions": _extensions(digest)})
        assert hit.json() == {"data": {"patient": {"name": "Ada Example"}}}


async def test_safelist_mode_runs_only_the_manifest(hospital: Hospital, tmp_path: Path) -> None:
    listed = "query Patients { patients { id } }"
    manifest = tmp_path / "persisted-query-manifest.json"
    manifest.write_bytes(
        orjson.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": "op-1", "name": "Patients", "type": "query", "body": listed}],
            }
        )
    )
    hospital.reset()
    async with (
        serve_router(
            sample_sdl(),
            hospital.as_dict(),
            persisted_queries_manifest=manifest,
            persisted_queries_safelist=True,
        ) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        by_id = await http.post("/graphql", json={"extensions": _extensions("op-1")})
        assert by_id.json() == ANSWER
        by_body = await http.post("/graphql", json={"query": listed})
        assert by_body.json() == ANSWER
        hospital.reset()
        other = await http.post("/graphql", json={"query": QUERY})
        assert other.status_code == 400
        assert other.json()["errors"][0]["extensions"]["code"] == "QUERY_NOT_IN_SAFELIST"
        assert not any(s.requests for s in hospital.as_dict().values())
