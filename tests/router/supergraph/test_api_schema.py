"""The API schema, one derivation shared by the router and composition's comparisons."""

from __future__ import annotations

from graphql import parse, print_ast, print_schema

from router.supergraph.api_schema import api_schema_document, build_api_schema

SUPERGRAPH = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", import: [{name: "@inaccessible", as: "@private"}], for: SECURITY)
  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
{ query: Query }

directive @private on FIELD_DEFINITION | OBJECT | ARGUMENT_DEFINITION | ENUM_VALUE
directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
directive @trace on FIELD

scalar requiresScopes__Scope
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
enum join__Graph { A @join__graph(name: "a", url: "http://a") }

type Query {
  ward(code: Code @private, filter: Secret): Ward @requiresScopes(scopes: [["read"]])
  old: Int @deprecated(reason: "gone")
}
type Ward { name: String secret: Secret level: Level }
enum Level { LOW HIGH @private }
type Secret @private { x: Int }
input Code { value: String }
"""


def test_linked_machinery_and_renamed_inaccessible_are_removed() -> None:
    printed = print_ast(api_schema_document(parse(SUPERGRAPH)))
    for gone in ("join__", "link__", "requiresScopes", "@private", "Secret", "HIGH", "code:"):
        assert gone not in printed
    assert "ward: Ward" in printed
    assert '@deprecated(reason: "gone")' in printed
    assert "directive @trace on FIELD" in printed


def test_the_router_builds_an_executable_schema_from_it() -> None:
    schema = build_api_schema(parse(SUPERGRAPH))
    assert set(schema.query_type.fields) == {"ward", "old"}  # type: ignore[union-attr]
    assert "Secret" not in schema.type_map
    assert "trace" in {d.name for d in schema.directives}
    assert "type Ward {\n  name: String\n  level: Level\n}" in print_schema(schema)
