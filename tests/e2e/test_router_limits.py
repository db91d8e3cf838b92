"""Through `healthgraph up --demo`'s router: hostile operations are refused, real ones pass."""

from __future__ import annotations

import httpx
import pytest
from graphql import get_introspection_query

from tests.support.hostile import aliases, chain, fragment_bomb
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
        fragment_bomb(25, "prescriptionSigningKeys { __typename }"): "MAX_SELECTIONS_EXCEEDED",
        fragment_bomb(100, "me { id }"): "MAX_SELECTIONS_EXCEEDED",
        fragment_bomb(30, ""): "MAX_SELECTIONS_EXCEEDED",
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


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_router_and_a_subgraph_refuse_alike(demo_stack: DemoStack) -> None:
    """One measuring module: the same codes and extensions from the router and from clinical."""
    query = fragment_bomb(40, "prescriptionSigningKeys { kid }")
    answers = [
        httpx.post(url, json={"query": query}, timeout=60)
        for url in (demo_stack.url(), demo_stack.url("clinical"))
    ]
    assert [answer.status_code for answer in answers] == [400, 400]
    router, clinical = ([e["extensions"] for e in a.json()["errors"]] for a in answers)
    assert (
        [e["code"] for e in router]
        == [e["code"] for e in clinical]
        == [
            "MAX_SELECTIONS_EXCEEDED",
            "MAX_ROOT_FIELDS_EXCEEDED",
        ]
    )
    assert router[0] == {
        "code": "MAX_SELECTIONS_EXCEEDED",
        "limit": "max_selections",
        "maximum": 2000,
    }
    assert clinical[0] == {
        "code": "MAX_SELECTIONS_EXCEEDED",
        "limit": "max_selections",
        "maximum": 1000,
    }
