"""The rate-limit stage: per user and per client address, answered with HTTP 429 and RateLimit headers (draft-ietf-httpapi-ratelimit-headers)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from router.pipeline.request import RequestError, SupergraphRequest
from router.pipeline.stages import BaseStage
from router.ratelimit.bucket import Buckets, Decision, Policy

__all__ = ["CLIENT_ADDRESS", "RATE_LIMITED", "RESPONSE_HEADERS", "RateLimiter", "Subject"]

RATE_LIMITED = "RATE_LIMITED"  # the same code the subgraphs answer with
CLIENT_ADDRESS = "client_address"  # request.context key: the client's address
RESPONSE_HEADERS = "response_headers"  # request.context key: headers for the HTTP answer

#: Who the request is from, e.g. the verified JWT `sub`; None for an anonymous request.
Subject = Callable[[SupergraphRequest], str | None]


def _no_subject(request: SupergraphRequest) -> str | None:
    del request
    return None


def policy_header(policies: Sequence[Policy]) -> str:
    return ", ".join(f'"{p.name}";q={p.capacity};w={round(p.period)}' for p in policies)


def limit_header(decisions: Sequence[Decision]) -> str:
    return ", ".join(f'"{d.policy.name}";r={d.remaining};t={d.reset}' for d in decisions)


class RateLimiter(BaseStage):
    """Takes one token per operation from the client address's bucket and from the user's.

    The user is `subject(request)` (the verified JWT `sub` once authentication fills it);
    an anonymous request is keyed by its address in the user policy too.
    """

    def __init__(
        self,
        buckets: Buckets,
        *,
        per_address: Policy | None = None,
        per_user: Policy | None = None,
        subject: Subject | None = None,
    ) -> None:
        self.buckets = buckets
        self.per_address = per_address
        self.per_user = per_user
        self.subject = subject or _no_subject
        self.policies = tuple(p for p in (per_address, per_user) if p is not None)

    async def on_request(self, request: SupergraphRequest) -> None:
        address = str(request.context.get(CLIENT_ADDRESS) or "unknown")
        decisions = []
        if self.per_address is not None:
            decisions.append(await self.buckets.take(self.per_address, address))
        if self.per_user is not None:
            subject = self.subject(request)
            key = f"sub:{subject}" if subject is not None else f"addr:{address}"
            decisions.append(await self.buckets.take(self.per_user, key))
        if not decisions:
            return
        headers = {
            "ratelimit-policy": policy_header(self.policies),
            "ratelimit": limit_header(decisions),
        }
        refused = [d for d in decisions if not d.allowed]
        if refused:
            wait = max(d.retry_after for d in refused)
            headers["retry-after"] = str(wait)
            names = ", ".join(d.policy.name for d in refused)
            raise RequestError(
                f"Too many requests ({names} rate limit); retry in {wait} s.",
                RATE_LIMITED,
                status=429,
                headers=headers,
                extensions={"retryAfter": wait},
            )
        request.context.setdefault(RESPONSE_HEADERS, {}).update(headers)
