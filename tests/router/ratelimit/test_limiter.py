"""The rate-limit stage: per user through the `subject` hook, per address, headers on refusal."""

from __future__ import annotations

import pytest

from router.pipeline import RequestError, SupergraphRequest
from router.ratelimit import MemoryBuckets, Policy, RateLimiter
from router.ratelimit.limiter import CLIENT_ADDRESS, RESPONSE_HEADERS


def _request(address: str, sub: str | None = None) -> SupergraphRequest:
    context: dict[str, object] = {CLIENT_ADDRESS: address}
    if sub is not None:
        context["claims"] = {"sub": sub}
    return SupergraphRequest(query="{ a }", context=context)


def _subject(request: SupergraphRequest) -> str | None:
    claims = request.context.get("claims")
    return claims.get("sub") if isinstance(claims, dict) else None


async def test_each_user_has_a_bucket_whatever_the_address() -> None:
    limiter = RateLimiter(MemoryBuckets(), per_user=Policy("user", 2, 60.0), subject=_subject)
    for address in ("10.0.0.1", "10.0.0.2"):  # the same user from two addresses
        await limiter.on_request(_request(address, "user-a"))
    with pytest.raises(RequestError) as caught:
        await limiter.on_request(_request("10.0.0.3", "user-a"))
    refusal = caught.value
    assert (refusal.status, refusal.code) == (429, "RATE_LIMITED")
    assert refusal.errors()[0]["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 30}
    assert refusal.headers == {
        "ratelimit-policy": '"user";q=2;w=60',
        "ratelimit": '"user";r=0;t=30',
        "retry-after": "30",
    }
    await limiter.on_request(_request("10.0.0.1", "user-b"))  # another user is not affected


async def test_anonymous_requests_are_keyed_by_address_and_headers_are_reported() -> None:
    limiter = RateLimiter(
        MemoryBuckets(),
        per_address=Policy("address", 10, 60.0),
        per_user=Policy("user", 1, 60.0),
        subject=_subject,
    )
    request = _request("10.0.0.9")
    await limiter.on_request(request)
    assert request.context[RESPONSE_HEADERS] == {
        "ratelimit-policy": '"address";q=10;w=60, "user";q=1;w=60',
        "ratelimit": '"address";r=9;t=6, "user";r=0;t=60',
    }
    with pytest.raises(RequestError):
        await limiter.on_request(_request("10.0.0.9"))
    await limiter.on_request(_request("10.0.0.10"))


async def test_without_a_hook_only_addresses_count() -> None:
    limiter = RateLimiter(MemoryBuckets(), per_address=Policy("address", 1, 60.0))
    await limiter.on_request(_request("10.0.0.1", "user-a"))
    with pytest.raises(RequestError):
        await limiter.on_request(_request("10.0.0.1", "user-b"))
