"""GraphQL type-system checks of one subgraph."""

from __future__ import annotations

from router.composition.build import build_subgraph
from router.composition.typesystem import validate_type_system


def _errors(sdl: str) -> list[str]:
    subgraph, errors = build_subgraph("s", "http://s", sdl)
    assert subgraph is not None
    assert errors == []
    return [e.message for e in validate_type_system(subgraph)]


def test_valid_implementations_pass() -> None:
    sdl = "type Query { i: I }\ninterface I { x: Int }\ntype T implements I { x: Int! }\n"
    assert _errors(sdl) == []


def test_missing_and_incompatible_interface_fields() -> None:
    sdl = (
        "type Query { i: I }\ninterface I { x: Int y(n: Int): Int }\n"
        "type T implements I { x: String y: Int }\n"
    )
    assert _errors(sdl) == [
        "[s] Interface field I.x expects type Int but T.x of type String is not a proper subtype.",
        "[s] Interface field argument I.y(n:) expected but T.y does not provide it.",
    ]


def test_positions_and_union_members() -> None:
    sdl = (
        "type Query { u: U v(i: Query): Int w: In }\n"
        "union U = Query | S\nscalar S\ninput In { a: Int }\n"
    )
    assert _errors(sdl) == [
        '[s] The type of "Query.v(i:)" must be Input Type but got "Query", a ObjectType.',
        '[s] The type of "Query.w" must be Output Type but got "In", a InputObjectType.',
        "[s] Cannot add non-object type S (of type ScalarType) as member of union type U",
    ]
