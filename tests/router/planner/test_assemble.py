"""Fetch groups become Sequence/Parallel/Flatten nodes by dependency level."""

from __future__ import annotations

from graphql import parse

from router.planner.assemble import PlanAssembler
from router.planner.graph_view import GraphView
from router.planner.groups import FetchGroup
from router.planner.nodes import FetchNode, FlattenNode, ParallelNode, SequenceNode
from router.planner.operation import Field, InlineFragment, normalize, select_operation
from router.supergraph import parse_supergraph
from tests.router.loopback import sample_sdl


def test_levels_become_sequence_of_parallel_fetches() -> None:
    document = parse("query Q { patients { id } }")
    operation = normalize(document, select_operation(document, None), {})
    groups = [
        FetchGroup(0, "patients", (), False, None, [Field("patients", selections=[Field("id")])]),
        FetchGroup(
            1,
            "billing",
            ("patients", "@"),
            True,
            0,
            [InlineFragment("Patient", [Field("balance")])],
            depends_on={0},
        ),
        FetchGroup(
            2,
            "clinical",
            ("patients", "@"),
            True,
            0,
            [InlineFragment("Patient", [Field("visits", selections=[Field("id")])])],
            depends_on={0},
        ),
    ]
    view = GraphView(parse_supergraph(sample_sdl()))
    node = PlanAssembler(view, operation, groups).layered([0, 1, 2], "query")
    assert isinstance(node, SequenceNode)
    first, second = node.nodes
    assert isinstance(first, FetchNode)
    assert first.operation == "query Q__patients__0{patients{id}}"
    assert isinstance(second, ParallelNode)
    assert all(isinstance(n, FlattenNode) for n in second.nodes)
    assert [n.node.service_name for n in second.nodes if isinstance(n, FlattenNode)] == [
        "billing",
        "clinical",
    ]
