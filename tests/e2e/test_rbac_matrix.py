"""The RBAC matrix through ``healthgraph up``'s router: every role (and anonymous) x every field of
our supergraph, expected from the directives the supergraph declares and ``router.yaml``'s policy
rules, never from the router's own authorization code.

One operation per role and object type selects all of the type's fields at the end of a path from
the root (required arguments get placeholder values, every level keeps ``__typename`` so nothing
collapses). The router must answer ``UNAUTHORIZED_FIELD_OR_TYPE`` at exactly the declared paths.
Mutations are sent with ``@skip(if: true)`` on their root field: authorization is decided before
planning, and nothing is executed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    ListValueNode,
    ObjectTypeDefinitionNode,
    StringValueNode,
    Undefined,
    get_named_type,
    parse,
)

from router.supergraph import parse_supergraph
from subgraphs.common.context import Role
from subgraphs.common.tokens import SCOPES_BY_ROLE
from tests.support.stack import DemoStack

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
_CHUNK = 15  # fields per operation
ROLES = ("ADMIN", "DOCTOR", "STAFF", "PATIENT", None)  # None: anonymous
_PLACEHOLDERS = {
    "ID": '"00000000-0000-4000-8000-000000000000"',
    "String": '"x"',
    "Int": "1",
    "Float": "1.0",
    "Boolean": "false",
    "DateTime": '"2026-01-05T09:00:00Z"',
    "Date": '"2026-01-05"',
    "Time": '"09:00:00"',
}


class Declared:
    """The oracle: the directives as written in the supergraph SDL, and router.yaml's rules."""

    def __init__(self, sdl: str, policies: dict[str, Any]) -> None:
        self.types: dict[str, list[Any]] = {}
        self.fields: dict[tuple[str, str], list[Any]] = {}
        for node in parse(sdl).definitions:
            if hasattr(node, "name") and hasattr(node, "directives"):
                self.types[node.name.value] = list(node.directives or ())
            if isinstance(node, ObjectTypeDefinitionNode):
                for field in node.fields or ():
                    self.fields[(node.name.value, field.name.value)] = list(field.directives or ())
        self.policies = policies

    def _allows(self, directives: list[Any], role: str | None) -> bool:
        scopes = {s.value for s in SCOPES_BY_ROLE[Role(role)]} if role else set()
        for directive in directives:
            name = directive.name.value
            if name == "authenticated" and role is None:
                return False
            if name in ("requiresScopes", "policy"):
                groups = [
                    [v.value for v in inner.values if isinstance(v, StringValueNode)]
                    for inner in directive.arguments[0].value.values
                    if isinstance(inner, ListValueNode)
                ]
                if name == "requiresScopes":
                    held = any(all(s in scopes for s in g) for g in groups)
                else:
                    held = any(all(self._policy(p, role) for p in g) for g in groups)
                if not held:
                    return False
        return True

    def _policy(self, name: str, role: str | None) -> bool:
        rule = self.policies.get(name)
        return rule is not None and role is not None and role in rule.get("roles", [role])

    def field(self, type_name: str, field: GraphQLField, name: str, role: str | None) -> bool:
        returns = get_named_type(field.type).name
        return self._allows(self.fields.get((type_name, name), []), role) and self._allows(
            self.types.get(returns, []), role
        )

    def type(self, type_name: str, role: str | None) -> bool:
        return self._allows(self.types.get(type_name, []), role)


def _value(graphql_type: Any, depth: int = 0) -> str:
    if isinstance(graphql_type, GraphQLNonNull):
        return _value(graphql_type.of_type, depth)
    if isinstance(graphql_type, GraphQLList):
        return f"[{_value(graphql_type.of_type, depth)}]"
    if isinstance(graphql_type, GraphQLEnumType):
        return str(next(iter(graphql_type.values)))
    if isinstance(graphql_type, GraphQLInputObjectType):
        required = [
            f"{name}: {_value(field.type, depth + 1)}"
            for name, field in graphql_type.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        ]
        return "{" + ", ".join(required) + "}"
    return _PLACEHOLDERS.get(graphql_type.name, '"x"')


def _call(name: str, field: GraphQLField) -> str:
    required = [
        f"{arg}: {_value(a.type)}"
        for arg, a in field.args.items()
        if isinstance(a.type, GraphQLNonNull) and a.default_value is Undefined
    ]
    return f"{name}({', '.join(required)})" if required else name


def _depth(field: GraphQLField) -> int:
    depth, node = 0, field.type
    while isinstance(node, GraphQLNonNull | GraphQLList):
        depth += isinstance(node, GraphQLList)
        node = node.of_type
    return depth


# one step: (parent type, field name, the concrete type reached, through a fragment or not)
Step = tuple[str, str, str, bool]


def _paths(schema: GraphQLSchema, root: GraphQLObjectType) -> dict[str, list[Step]]:
    """A shortest path from ``root`` to every object type reachable from it."""
    paths: dict[str, list[Step]] = {root.name: []}
    queue = deque([root])
    while queue:
        parent = queue.popleft()
        for name, field in parent.fields.items():
            named = get_named_type(field.type)
            targets: list[tuple[GraphQLObjectType, bool]] = []
            if isinstance(named, GraphQLObjectType):
                targets = [(named, False)]
            elif isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
                targets = [(t, True) for t in schema.get_possible_types(named)]
            for target, fragment in targets:
                if target.name not in paths:
                    paths[target.name] = [
                        *paths[parent.name],
                        (parent.name, name, target.name, fragment),
                    ]
                    queue.append(target)
    return paths


def _operation(
    schema: GraphQLSchema, kind: str, steps: list[Step], fields: dict[str, GraphQLField]
) -> str:
    inner = " ".join(
        _call(name, field) + (" { __typename }" if not _leaf(field) else "")
        for name, field in fields.items()
    )
    for index, (parent, name, reached, fragment) in reversed(list(enumerate(steps))):
        field = schema.get_type(parent).fields[name]  # type: ignore[union-attr]
        body = f"... on {reached} {{ {inner} }}" if fragment else inner
        skip = " @skip(if: true)" if kind == "mutation" and index == 0 else ""
        inner = f"{_call(name, field)}{skip} {{ __typename {body} }}"
    return f"{kind} {{ __typename {inner} }}"


def _leaf(field: GraphQLField) -> bool:
    return not isinstance(
        get_named_type(field.type), GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
    )


def _expected(
    schema: GraphQLSchema,
    declared: Declared,
    steps: list[Step],
    target: GraphQLObjectType,
    fields: dict[str, GraphQLField],
    role: str | None,
) -> set[tuple[str, ...]]:
    path: tuple[str, ...] = ()
    for parent, name, reached, fragment in steps:
        field = schema.get_type(parent).fields[name]  # type: ignore[union-attr]
        if not declared.field(parent, field, name, role):
            return {(*path, name)}
        path = (*path, name, *("@",) * _depth(field))
        if fragment and not declared.type(reached, role):
            return {(*path, f"... on {reached}")}
    # every level keeps __typename, so no selection set empties and nothing collapses upward
    return {
        (*path, name)
        for name, field in fields.items()
        if not declared.field(target.name, field, name, role)
    }


def _cases(schema: GraphQLSchema) -> Iterator[tuple[str, str, list[Step]]]:
    """Every object type reachable from Query (with its path), then the Mutation root."""
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    for type_name, steps in _paths(schema, schema.query_type).items():
        yield "query", type_name, steps
    yield "mutation", schema.mutation_type.name, []


def test_every_role_gets_every_field_exactly_as_declared(demo_stack: DemoStack) -> None:
    sdl = (REPO / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
    schema = parse_supergraph(sdl).api_schema
    config = yaml.safe_load((REPO / "router.yaml").read_text(encoding="utf-8"))
    declared = Declared(sdl, config["authorization"]["policies"])
    tokens = {role: demo_stack.sign_in(role) for role in ROLES if role}
    mismatches: list[str] = []
    checked = denied = 0
    with httpx.Client(timeout=30) as client:
        for kind, type_name, steps in _cases(schema):
            target = schema.get_type(type_name)
            assert isinstance(target, GraphQLObjectType)
            if kind == "mutation":
                # each mutation field on its own, skipped: decided before planning, never run
                for name, field in target.fields.items():
                    query = f"mutation {{ __typename {_call(name, field)} @skip(if: true)" + (
                        " { __typename } }" if not _leaf(field) else " }"
                    )
                    for role in ROLES:
                        allowed = declared.field(target.name, field, name, role)
                        expected: set[tuple[str, ...]] = set() if allowed else {(name,)}
                        checked += 1
                        denied += len(expected)
                        mismatches += _check(client, demo_stack, tokens, role, query, expected)
                continue
            names = list(target.fields)
            for start in range(0, len(names), _CHUNK):  # within the root-field limit
                fields = {n: target.fields[n] for n in names[start : start + _CHUNK]}
                query = _operation(schema, kind, steps, fields)
                for role in ROLES:
                    expected = _expected(schema, declared, steps, target, fields, role)
                    checked += len(fields)
                    denied += len(expected)
                    mismatches += _check(client, demo_stack, tokens, role, query, expected)
    assert not mismatches, "\n".join(mismatches[:20])
    # (role, field) pairs checked, and how many of them the declarations refuse
    assert checked > 1500, checked
    assert 100 < denied < checked - 100, (denied, checked)


def _check(
    client: httpx.Client,
    stack: DemoStack,
    tokens: dict[str, str],
    role: str | None,
    query: str,
    expected: set[tuple[str, ...]],
) -> list[str]:
    headers = {"authorization": f"Bearer {tokens[role]}"} if role else {}
    response = client.post(stack.url(), json={"query": query}, headers=headers)
    if response.status_code != 200:
        return [f"{role}: HTTP {response.status_code} {response.text[:300]} for {query}"]
    got = {
        tuple(e["path"])
        for e in response.json().get("errors", [])
        if e.get("extensions", {}).get("code") == "UNAUTHORIZED_FIELD_OR_TYPE"
    }
    if got != expected:
        return [f"{role}: got {sorted(got)} expected {sorted(expected)} for {query}"]
    return []
