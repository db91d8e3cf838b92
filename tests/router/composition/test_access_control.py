"""Access-control requirements flow from implementations to their interfaces."""

from __future__ import annotations

from router.composition import SubgraphSource, compose_or_raise

FED = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", '
    'import: ["@key", "@authenticated", "@requiresScopes"])\n'
)


def test_interface_gets_implementation_requirements() -> None:
    supergraph = compose_or_raise(
        [
            SubgraphSource(
                "a",
                "http://a",
                FED + "type Query { r: R }\ninterface R { id: ID! body: String }\n"
                "type Lab implements R @authenticated {\n"
                '  id: ID! body: String @requiresScopes(scopes: [["lab"]])\n}\n'
                "type Note implements R { id: ID! body: String }\n",
            )
        ]
    )
    assert (
        "interface R\n  @join__type(graph: A)\n  @authenticated\n{\n  id: ID!\n"
        '  body: String @requiresScopes(scopes: [["lab"]])\n}'
    ) in supergraph
