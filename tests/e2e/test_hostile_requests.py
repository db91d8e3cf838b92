"""Hostile operations sent straight to the running subgraphs: refused, and /health keeps answering."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from graphql import get_introspection_query

from tests.support.hostile import aliases, fragment_bomb
from tests.support.stack import DemoStack, graphql

HOSTILE = {
    "auth": [fragment_bomb(25), fragment_bomb(100), aliases(10_000, "me { id }")],
    "clinical": [
        fragment_bomb(25),
        fragment_bomb(100),
        aliases(10_000, "prescriptionSigningKeys { kid }"),
    ],
}


@pytest.mark.slow
@pytest.mark.timeout(180)
@pytest.mark.parametrize("service", ["auth", "clinical"])
async def test_health_answers_while_hostile_operations_are_refused(
    demo_stack: DemoStack, service: str
) -> None:
    url = demo_stack.url(service)
    health_url = url.removesuffix("/graphql") + "/health"
    async with httpx.AsyncClient(timeout=60) as client:
        hostile = [
            asyncio.create_task(client.post(url, json={"query": query}))
            for query in HOSTILE[service] * 3
        ]
        health = [(await client.get(health_url)).status_code for _ in range(5)]
        answers = await asyncio.gather(*hostile)
        health.append((await client.get(health_url)).status_code)
    assert health == [200] * 6
    assert [answer.status_code for answer in answers] == [400] * len(answers)
    for answer in answers:
        codes = {error["extensions"]["code"] for error in answer.json()["errors"]}
        assert codes & {"MAX_SELECTIONS_EXCEEDED", "MAX_TOKENS_EXCEEDED"}


CHAIN = """
{ me { id email role patient { id user { id email } } doctor { id } staffMember { id } }
  patients(first: 5) { nodes { id familyName user { id email } } } }
"""


@pytest.mark.slow
def test_real_queries_pass_the_subgraph_limits(demo_stack: DemoStack) -> None:
    """Entity fetches from auth into clinical and back, and introspection, still answer."""
    answer = graphql(demo_stack.url(), CHAIN, demo_stack.sign_in("ADMIN"))
    assert "errors" not in answer, answer
    assert answer["data"]["me"]["role"] == "ADMIN"
    assert isinstance(answer["data"]["patients"]["nodes"], list)
    introspection = get_introspection_query(descriptions=True, specified_by_url=True)
    for service in ("auth", "clinical"):
        schema = graphql(demo_stack.url(service), introspection)
        assert "errors" not in schema, schema
        assert schema["data"]["__schema"]["queryType"]["name"] == "Query"
