"""Filtering on interfaces and unions, as Apollo Router's documentation describes it."""

from __future__ import annotations

from graphql import OperationDefinitionNode, build_schema, parse, print_ast

from router.authorization.filtering import RequirementWalker
from router.authorization.metadata import AuthorizationMetadata
from router.authorization.requirements import Requirement

SCHEMA = build_schema("""
    type Query { posts: [Post!]! feed: [Item] }
    interface Post { id: ID! title: String }
    type PrivateBlog implements Post { id: ID! title: String }
    type PublicBlog implements Post { id: ID! title: String }
    type Photo { url: String secret: String }
    union Item = PublicBlog | Photo
""")
SIGNED_IN = Requirement(authenticated=True)
METADATA = AuthorizationMetadata(
    types={"PrivateBlog": SIGNED_IN},
    fields={("Photo", "secret"): Requirement(scopes=((frozenset({"photos:secret"}),),))},
)


def _filter(query: str, *, signed_in: bool = False) -> tuple[str | None, list[list[str]]]:
    document = parse(query)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    walker = RequirementWalker(SCHEMA, METADATA)
    filtered = walker.walk(document, operation, lambda r: signed_in or r.empty)
    planned = print_ast(filtered.operation) if filtered.operation is not None else None
    return planned, [e["path"] for e in filtered.errors]


def test_interface_fields_need_every_implementation_s_requirements() -> None:
    planned, paths = _filter("{ posts { id title } }")
    assert planned is None  # nothing is left: `posts` goes, with one error of its own
    assert paths == [["posts"]]
    assert _filter("{ posts { id title } }", signed_in=True)[1] == []


def test_fragments_on_implementations_are_judged_one_by_one() -> None:
    planned, paths = _filter(
        "{ posts { __typename ... on PublicBlog { id } ... on PrivateBlog { id } } }"
    )
    assert paths == [["posts", "@", "... on PrivateBlog"]]
    assert planned is not None
    assert "PublicBlog" in planned
    assert "PrivateBlog" not in planned


def test_union_members_and_their_fields() -> None:
    planned, paths = _filter("{ feed { ... on Photo { url secret } ... on PublicBlog { id } } }")
    assert paths == [["feed", "@", "secret"]]
    assert planned is not None
    assert "url" in planned
    assert "secret" not in planned


def test_typename_and_introspection_are_never_filtered() -> None:
    planned, paths = _filter('{ __typename __type(name: "PrivateBlog") { name } }')
    assert paths == []
    assert planned is not None
