"""The plan cache is a bounded LRU."""

from __future__ import annotations

import pytest
from graphql import parse

from router.planner import QueryPlanner
from router.planner.cache import LRUCache
from router.planner.operation import select_operation
from router.supergraph import parse_supergraph
from tests.router.loopback import sample_sdl


def test_lru_evicts_least_recently_used() -> None:
    cache: LRUCache[int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get("a") == 1
    assert len(cache) == 2
    with pytest.raises(ValueError, match="at least 1"):
        LRUCache(0)


def test_planner_caches_by_text_name_and_conditions() -> None:
    planner = QueryPlanner(parse_supergraph(sample_sdl()), cache_size=8)
    text = 'query ($v: Boolean!) { patient(id: "p1") { name balance @include(if: $v) } }'
    document = parse(text)
    operation = select_operation(document, None)

    def plan(value: bool) -> object:
        return planner.plan(
            document, operation, text=text, operation_name=None, variables={"v": value}
        )

    first = plan(True)
    assert plan(True) is first
    other = plan(False)
    assert other is not first
    assert len(planner.cache) == 2
