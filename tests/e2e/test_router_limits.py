"""Through `healthgraph up --demo`'s router: hostile operations are refused, real ones pass."""

from __future__ import annotations

import httpx
import pytest
from graphql import get_introspection_query

from tests.router.hostile import aliases, chain, fragment_bomb
from tests.support.stack import DemoStack


def _post(stack: DemoStack, query: str, token: str | None = None) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return httpx.post(stack.url(), json={"query": query}, headers=headers, timeout=60)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_hostile_operations_are_refused_before_reaching_auth_or_clinical(
    demo_stack: DemoStack,
) -> None:
    refused = {
        fragment_bomb(25, "prescriptionSigningKeys { __typename }"): "MAX_EXPANDED_FIELDS_EXCEEDED",
        fragment_bomb(100, "me { id }"): "MAX_EXPANDED_FIELDS_EXCEEDED",
        aliases(10_000, "me { id }"): "MAX_TOKENS_EXCEEDED",
        chain(100, ("patient", "user"), "id", "me"): "MAX_DEPTH_EXCEEDED",
    }
    for query, code in refused.items():
        response = _post(demo_stack, query)
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == code
    health = httpx.get(demo_stack.url().replace("/graphql", "/health"), timeout=10)
    assert health.status_code == 200


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_introspection_and_a_cross_subgraph_query_stay_within_the_limits(
    demo_stack: DemoStack,
) -> None:
    introspection = _post(demo_stack, get_introspection_query(descriptions=True))
    assert introspection.status_code == 200
    assert introspection.json()["data"]["__schema"]["queryType"]["name"] == "Query"
    token = demo_stack.sign_in("PATIENT")
    answer = _post(demo_stack, "{ me { role patient { id user { id displayName } } } }", token)
    assert answer.status_code == 200
    assert answer.json()["data"]["me"]["role"] == "PATIENT"
