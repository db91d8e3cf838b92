"""The supergraph service refuses hostile operations with a 400 before any subgraph call."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.router.conftest import post
from tests.router.hospital import Hospital
from tests.router.loopback import FakeSubgraph, sample_sdl, serve_router
from tests.support.hostile import aliases, chain, fragment_bomb

SUPERGRAPH = Path(__file__).resolve().parents[3] / "schema" / "supergraph.graphql"


def _no_calls(hospital: Hospital) -> bool:
    return not any(s.requests for s in hospital.as_dict().values())


def _codes(response: httpx.Response) -> list[str]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body
    return [e["extensions"]["code"] for e in body["errors"]]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("levels", [25, 50, 100])
async def test_a_fragment_bomb_is_refused_unexpanded(
    client: httpx.AsyncClient, hospital: Hospital, levels: int
) -> None:
    response = await post(client, fragment_bomb(levels, "patients { id }"))
    assert _codes(response) == ["MAX_SELECTIONS_EXCEEDED", "MAX_ROOT_FIELDS_EXCEEDED"]
    assert response.json()["errors"][0]["extensions"]["limit"] == "max_selections"
    assert _no_calls(hospital)
    assert (await client.get("/health")).status_code == 200


@pytest.mark.timeout(60)
async def test_ten_thousand_aliases_are_refused_while_parsing(
    client: httpx.AsyncClient, hospital: Hospital
) -> None:
    response = await post(client, aliases(10_000, "patients { id }"))
    assert _codes(response) == ["MAX_TOKENS_EXCEEDED"]
    assert _no_calls(hospital)


@pytest.mark.timeout(60)
async def test_the_limits_are_configurable(hospital: Hospital) -> None:
    hospital.reset()
    async with (
        serve_router(
            sample_sdl(), hospital.as_dict(), max_tokens=100_000, max_aliases=2, max_depth=3
        ) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        many = await post(http, aliases(10_000, "patients { id }"))
        assert "MAX_ALIASES_EXCEEDED" in _codes(many)
        assert "uses 10000 aliases, over the limit of 2 (max_aliases)" in many.text
        deep = await post(http, "{ patients { visits { cost { x } } } }")
        assert _codes(deep) == ["MAX_DEPTH_EXCEEDED"]
        within = await post(http, "{ a: patients { id } b: patients { name } }")
        assert within.status_code == 200
        assert within.json()["data"]["a"][0] == {"id": "p1"}
    assert len(hospital.patients.requests) == 1


@pytest.fixture
def real_subgraphs() -> dict[str, FakeSubgraph]:
    """Stand-ins for auth and clinical that only record calls (none is expected)."""
    return {name: FakeSubgraph(sdl="type Query { unused: Int }") for name in ("auth", "clinical")}


@pytest.mark.timeout(60)
async def test_a_deep_valid_chain_is_refused_by_depth_or_by_the_planner(
    real_subgraphs: dict[str, FakeSubgraph],
) -> None:
    # me (auth) -> patient (clinical) -> user -> patient ...: valid against the real supergraph
    query = chain(100, ("patient", "user"), "id", "me")
    sdl = SUPERGRAPH.read_text(encoding="utf-8")
    async with serve_router(sdl, real_subgraphs) as url, httpx.AsyncClient(base_url=url) as http:
        assert _codes(await post(http, query)) == ["MAX_DEPTH_EXCEEDED"]
    async with (
        serve_router(sdl, real_subgraphs, max_depth=200) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        response = await post(http, query)
        assert _codes(response) == ["QUERY_PLANNING_LIMIT_EXCEEDED"]
        assert response.json()["errors"][0]["extensions"] == {
            "code": "QUERY_PLANNING_LIMIT_EXCEEDED",
            "limit": "max_plan_depth",
            "maximum": 64,
        }
    assert not any(s.requests for s in real_subgraphs.values())


@pytest.mark.timeout(60)
async def test_an_operation_the_supergraph_cannot_serve_is_a_400(hospital: Hospital) -> None:
    # cleanedAt lives only in `cleaning`, whose Bed key is not resolvable: valid, unplannable
    case = "composite-nonresolvable-keys"
    async with (
        serve_router(sample_sdl(case), {}) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        response = await post(http, "{ beds { cleanedAt } }")
        assert _codes(response) == ["QUERY_PLANNING_FAILED"]
        assert "Bed.cleanedAt" in response.json()["errors"][0]["message"]
