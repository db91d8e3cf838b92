"""Through a router of its own: 429 with RateLimit headers, per address (forwarded-aware), per
user (the `subject` hook), shared through Redis."""

from __future__ import annotations

import httpx
from redis.asyncio import Redis

from router.pipeline import SupergraphRequest
from tests.router.hospital import Hospital
from tests.router.loopback import sample_sdl, serve_router

QUERY = {"query": "{ patients { id } }"}


async def test_per_address_limit_answers_429_without_calling_a_subgraph(
    hospital: Hospital,
) -> None:
    hospital.reset()
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), rate_limit_per_address=2) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        first = await http.post("/graphql", json=QUERY)
        assert first.status_code == 200
        assert first.headers["ratelimit-policy"] == '"address";q=2;w=60'
        assert first.headers["ratelimit"] == '"address";r=1;t=30'
        assert (await http.post("/graphql", json=QUERY)).status_code == 200
        calls = len(hospital.patients.requests)
        refused = await http.post("/graphql", json=QUERY)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "30"
        assert refused.headers["ratelimit"] == '"address";r=0;t=30'
        [error] = refused.json()["errors"]
        assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 30}
        assert len(hospital.patients.requests) == calls
        # a client cannot pick another address by writing X-Forwarded-For itself
        spoofed = await http.post("/graphql", json=QUERY, headers={"x-forwarded-for": "10.9.9.9"})
        assert spoofed.status_code == 429


async def test_behind_a_trusted_proxy_each_forwarded_client_has_a_bucket(
    hospital: Hospital,
) -> None:
    async with (
        serve_router(
            sample_sdl(),
            hospital.as_dict(),
            rate_limit_per_address=1,
            trusted_proxies=["127.0.0.1"],
        ) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        for client in ("10.0.0.1", "10.0.0.2"):
            headers = {"x-forwarded-for": client}
            assert (await http.post("/graphql", json=QUERY, headers=headers)).status_code == 200
        again = await http.post("/graphql", json=QUERY, headers={"x-forwarded-for": "10.0.0.1"})
        assert again.status_code == 429


def _subject(request: SupergraphRequest) -> str | None:
    """What the lead wires to the verified JWT `sub`; here a test header names the user."""
    return request.headers.get("x-test-user")


async def test_per_user_limit_through_the_subject_hook(hospital: Hospital) -> None:
    async with (
        serve_router(
            sample_sdl(),
            hospital.as_dict(),
            rate_limit_per_user=1,
            subject=_subject,
            propagate_headers=["x-test-user"],
        ) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        alice = {"x-test-user": "alice"}
        assert (await http.post("/graphql", json=QUERY, headers=alice)).status_code == 200
        assert (await http.post("/graphql", json=QUERY, headers=alice)).status_code == 429
        bob = {"x-test-user": "bob"}
        assert (await http.post("/graphql", json=QUERY, headers=bob)).status_code == 200


async def test_routers_share_buckets_through_redis(hospital: Hospital, redis_url: str) -> None:
    settings = {"rate_limit_per_address": 2, "rate_limit_period": 3600.0, "redis_url": redis_url}
    async with (
        serve_router(sample_sdl(), hospital.as_dict(), **settings) as first,
        serve_router(sample_sdl(), hospital.as_dict(), **settings) as second,
        httpx.AsyncClient() as http,
    ):
        statuses = [
            (await http.post(f"{url}/graphql", json=QUERY)).status_code
            for url in (first, second, first)
        ]
        assert statuses == [200, 200, 429]
    redis = Redis.from_url(redis_url)  # the session's Redis is shared: leave no bucket behind
    await redis.delete("router:ratelimit:address:127.0.0.1")
    await redis.aclose()
