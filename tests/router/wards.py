"""Test support: a one-subgraph supergraph with @cost/@listSize, composed by our composer."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from graphql import GraphQLError

from router.composition import SubgraphSource, compose
from tests.router.loopback import FakeSubgraph

__all__ = ["WARDS_SDL", "build_wards", "wards_supergraph"]

WARDS_SDL = """
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@cost", "@listSize"])

type Query {
  wards(first: Int, last: Int): [Ward!]!
    @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
  ward(id: ID!): Ward @cost(weight: 3)
  beds(first: Int): [Bed!]! @listSize(slicingArguments: ["first"])
  broken: String
}

type Mutation {
  admit(name: String! @cost(weight: 20)): Ward
}

type Ward @cost(weight: 5) {
  id: ID!
  name: String
  beds: [Bed!]! @listSize(assumedSize: 12)
}

type Bed {
  number: Int!
}
"""

# what the fake subgraph serves: the same types without federation's directives
_PLAIN = re.sub(r"@(link|cost|listSize)\([^)]*\)", "", WARDS_SDL).replace("extend schema", "")


def _wards(_: Any, __: Any, **arguments: Any) -> list[dict[str, Any]]:
    count = arguments.get("first") or 2
    return [{"id": f"w{i}", "name": f"Ward {i}", "beds": []} for i in range(count)]


def _broken(_: Any, __: Any) -> str:
    # what Apollo Server or Strawberry in debug mode put in a subgraph error
    raise GraphQLError(
        "database exploded",
        extensions={
            "code": "INTERNAL_SERVER_ERROR",
            "exception": {"stacktrace": ["Traceback (most recent call last):", "  File x.py"]},
            "stacktrace": ["at resolver (x.js:1)"],
        },
    )


def build_wards() -> dict[str, FakeSubgraph]:
    return {
        "wards": FakeSubgraph(
            sdl=_PLAIN,
            resolvers={
                "Query": {"wards": _wards, "broken": _broken},
                "Mutation": {"admit": lambda *_, **__: {"id": "w9", "name": "new", "beds": []}},
            },
        )
    }


@cache
def wards_supergraph() -> str:
    result = compose([SubgraphSource("wards", "http://wards.invalid/graphql", WARDS_SDL)])
    assert result.supergraph is not None, [str(e) for e in result.errors]
    return result.supergraph
