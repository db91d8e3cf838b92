"""Federation 1 upgrade checks."""

from __future__ import annotations

from router.composition.build import build_subgraph
from router.composition.fed1 import check_fed1_extensions
from router.composition.model import Subgraph


def _subgraph(name: str, sdl: str) -> Subgraph:
    subgraph, errors = build_subgraph(name, f"http://{name}", sdl)
    assert subgraph is not None
    assert errors == []
    return subgraph


def test_extension_needs_a_definition_elsewhere() -> None:
    ext = _subgraph("ext", 'extend type User @key(fields: "id") { id: ID! @external }')
    [error] = check_fed1_extensions([ext])
    assert (error.code, error.subgraph, error.coordinate) == (
        "EXTENSION_WITH_NO_BASE",
        "ext",
        "User",
    )
    base = _subgraph("base", 'type Query { u: User }\ntype User @key(fields: "id") { id: ID! }')
    assert check_fed1_extensions([ext, base]) == []


def test_root_extensions_need_no_base() -> None:
    assert check_fed1_extensions([_subgraph("a", "extend type Query { a: Int }")]) == []
