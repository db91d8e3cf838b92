"""Differential fuzzing: our router answers random valid operations as @apollo/gateway does.

A fixed seed, a few hundred operations per supergraph; ``make fuzz`` runs longer. Differences
where @apollo/gateway is wrong by the spec are listed in known_differences.yaml.
"""

from __future__ import annotations

import pytest

from tests.benchmarks.router_peers import node_missing
from tests.router.fuzz.harness import fuzz_supergraph, supergraphs

pytestmark = pytest.mark.node

SEED = 20261207
OPERATIONS = 200
SUPERGRAPHS = supergraphs()


@pytest.mark.parametrize("name", sorted(SUPERGRAPHS))
def test_router_answers_like_apollo_gateway(name: str) -> None:
    missing = node_missing()
    if missing:
        pytest.skip(missing)
    report = fuzz_supergraph(name, SUPERGRAPHS[name], seed=SEED, count=OPERATIONS)
    assert report.operations >= OPERATIONS * 0.9
    assert not report.differences, "\n\n".join(d.summary() for d in report.differences[:5])
