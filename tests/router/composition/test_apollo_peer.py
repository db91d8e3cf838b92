"""Reference peer: our composition against @apollo/composition 2.14 on every fixture."""

from __future__ import annotations

import pytest

from router.composition import compare_supergraphs, compose
from tests.conftest import ApolloCompose
from tests.router.composition.cases import Case, all_cases

pytestmark = pytest.mark.node


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.name)
def test_same_result_as_apollo(case: Case, apollo_compose: ApolloCompose) -> None:
    reference = apollo_compose(case.subgraphs)
    ours = compose(case.subgraphs)
    if case.error_codes:
        assert reference["supergraph"] is None, "the fixture must fail in Apollo too"
        assert sorted({e["code"] for e in reference["errors"]}) == case.error_codes
        assert sorted({e.code for e in ours.errors}) == case.error_codes
        return
    assert reference["supergraph"] is not None, reference["errors"]
    assert ours.supergraph is not None, [str(e) for e in ours.errors]
    comparison = compare_supergraphs(ours.supergraph, reference["supergraph"])
    assert comparison.api_equal, comparison.api_diff
    assert comparison.supergraph_equal, comparison.supergraph_diff
    golden = compare_supergraphs(case.golden.read_text(), reference["supergraph"])
    assert golden.equal, f"{case.golden} is stale: {golden.supergraph_diff}"
