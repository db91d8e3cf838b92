"""Deterministic subgraphs: serve every subgraph of a supergraph with data derived from keys.

Any supergraph can be fuzzed without writing resolvers. A value is a pure function of the object
it hangs on and the field asked (name, arguments and, under ``@requires``, the required values),
so two subgraphs resolving one entity agree. An entity's identity is a seed that every one of its
key fields encodes, so a representation carries it across subgraph boundaries. Each subgraph
refuses fields it does not declare, like a real one would (Apollo Federation subgraph spec,
https://www.apollographql.com/docs/graphos/reference/federation/subgraph-spec).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    SKIP,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    Visitor,
    parse,
    value_from_ast_untyped,
    visit,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from router.planner.fieldset import parse_field_set
from router.planner.graph_view import GraphView
from router.planner.operation import Field
from router.supergraph.model import Supergraph

__all__ = ["DeterministicSubgraphs", "seed_of"]

_LEAVES = frozenset({"Int", "Float", "Boolean", "String", "ID"})
_MAX_LIST = 3


def seed_of(*parts: Any) -> int:
    """A stable 31-bit number for any JSON-able parts."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


@dataclass(frozen=True, slots=True)
class _Object:
    typename: str
    seed: int
    representation: dict[str, Any] | None = None


class _Refused(Exception):
    """The request asks for something this subgraph does not declare: reject it whole."""


def _parse_type(type_string: str) -> tuple[str, bool, str | None]:
    """(outer shape, non-null, inner type string): shape is "list" or the named type."""
    text = type_string.strip()
    non_null = text.endswith("!")
    if non_null:
        text = text[:-1]
    if text.startswith("["):
        return "list", non_null, text[1:-1]
    return text, non_null, None


class DeterministicSubgraphs:
    """An ASGI app answering ``POST /<subgraph name>`` for every subgraph of one supergraph."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.sg = supergraph
        self.view = GraphView(supergraph)
        self.requests = 0
        self._keys: dict[str, set[str]] = {}
        for name, info in supergraph.types.items():
            names: set[str] = set()
            for type_graph in info.graphs:
                for key in type_graph.keys:
                    names.update(
                        s.name for s in parse_field_set(key.fields) if isinstance(s, Field)
                    )
            self._keys[name] = names

    # ------------------------------------------------------------------ http
    def app(self) -> Starlette:
        async def endpoint(request: Request) -> Response:
            body = orjson.loads(await request.body())
            self.requests += 1
            payload = self.execute(
                request.path_params["graph"], body["query"], body.get("variables") or {}
            )
            return Response(orjson.dumps(payload), media_type="application/json")

        return Starlette(routes=[Route("/{graph}", endpoint, methods=["POST"])])

    # ------------------------------------------------------------------ execution
    def execute(self, graph: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        try:
            document = parse(query)
        except GraphQLError as error:
            return {"errors": [{"message": error.message}]}
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        problem = _invalid(document, operation)
        if problem is not None:
            return {"errors": [{"message": problem}]}
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        root = self.sg.root_types.get(operation.operation.value, "Query")
        run = _Run(self, graph, variables, fragments)
        try:
            data = run.select(_Object(root, 0), operation.selection_set, ())
        except _Refused as refused:
            return {"data": None, "errors": [{"message": str(refused)}]}
        result: dict[str, Any] = {"data": data}
        if run.errors:
            result["errors"] = run.errors
        return result

    # ------------------------------------------------------------------ data
    def declared(self, graph: str, type_name: str, field_name: str) -> bool:
        info = self.sg.types.get(type_name)
        if info is None or info.in_graph(graph) is None:
            return False
        field_info = info.fields.get(field_name)
        if field_info is None:
            return False
        return not field_info.joins or any(j.graph == graph for j in field_info.joins)

    def concrete(self, graph: str, abstract: str, seed: int, sharers: list[str]) -> str | None:
        """The object type behind an abstract value, the same in every subgraph sharing it."""
        if self.view.is_interface_object(graph, abstract):
            return abstract
        api = self.sg.api_schema.type_map
        members = [t for t in self.view.runtime_types(graph, abstract) if t in api]
        shared = [
            t
            for t in members
            if all(t in self.view.runtime_types(g, abstract) for g in sharers if g != graph)
        ]
        choices = sorted(shared or members)
        return choices[seed % len(choices)] if choices else None

    def leaf(self, type_name: str, seed: int, field_name: str, *, key: bool) -> Any:
        if key:
            return seed if type_name == "Int" else str(seed)
        graphql_type = self.sg.api_schema.type_map.get(type_name)
        if isinstance(graphql_type, GraphQLEnumType):
            values = sorted(graphql_type.values)
            return values[seed % len(values)]
        if type_name == "Int":
            return seed % 1000
        if type_name == "Float":
            return (seed % 1000) / 8
        if type_name == "Boolean":
            return seed % 2 == 0
        return f"{field_name}-{seed % 100000}"

    def entity(self, graph: str, representation: dict[str, Any]) -> _Object | None:
        typename = representation.get("__typename")
        if not isinstance(typename, str) or typename not in self.sg.types:
            return None
        seed = _decode_seed(representation)
        if seed is None:
            return None
        if self.sg.types[typename].kind == "INTERFACE" and not self.view.is_interface_object(
            graph, typename
        ):
            implementations = sorted(
                t
                for t in self.sg.possible_types.get(typename, ())
                if self.sg.types[t].in_graph(graph) is not None
            )
            if not implementations:
                return None
            typename = implementations[seed % len(implementations)]
        return _Object(typename, seed, representation)


class _Checks(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.empty = False
        self.used: set[str] = set()

    def enter_selection_set(self, node: SelectionSetNode, *_: Any) -> None:
        if not node.selections:
            self.empty = True

    def enter_variable_definition(self, *_: Any) -> Any:
        return SKIP  # a definition is not a use

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.used.add(node.name.value)


def _invalid(document: DocumentNode, operation: OperationDefinitionNode) -> str | None:
    """What graphql-js would refuse that graphql-core's parser lets through, if anything."""
    checks = _Checks()
    visit(document, checks)
    if checks.empty:
        return "Syntax Error: Expected Name, found }."
    defined = {v.variable.name.value for v in operation.variable_definitions or ()}
    for name in sorted(defined - checks.used):
        return f'Variable "${name}" is never used.'
    for name in sorted(checks.used - defined):
        return f'Variable "${name}" is not defined.'
    return None


def _decode_seed(value: Any) -> int | None:
    if isinstance(value, dict):
        for name, item in sorted(value.items()):
            if name == "__typename":
                continue
            found = _decode_seed(item)
            if found is not None:
                return found
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


class _Run:
    """One request's execution in one subgraph."""

    def __init__(
        self,
        owner: DeterministicSubgraphs,
        graph: str,
        variables: dict[str, Any],
        fragments: dict[str, FragmentDefinitionNode],
    ) -> None:
        self.owner = owner
        self.graph = graph
        self.variables = variables
        self.fragments = fragments
        self.errors: list[dict[str, Any]] = []

    def _included(self, node: Any) -> bool:
        for directive in node.directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            value = True
            for argument in directive.arguments or ():
                if argument.name.value == "if":
                    value = bool(value_from_ast_untyped(argument.value, self.variables))
            if (name == "skip") == value:
                return False
        return True

    def _applies(self, typename: str, condition: str | None) -> bool:
        if condition is None or condition == typename:
            return True
        return typename in self.owner.sg.possible_types.get(condition, frozenset())

    def select(
        self, obj: _Object, selection_set: SelectionSetNode, path: tuple[str | int, ...]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self._select_into(out, obj, selection_set, path)
        return out

    def _select_into(
        self,
        out: dict[str, Any],
        obj: _Object,
        selection_set: SelectionSetNode,
        path: tuple[str | int, ...],
    ) -> None:
        for node in selection_set.selections:
            if not self._included(node):
                continue
            if isinstance(node, FieldNode):
                key = node.alias.value if node.alias else node.name.value
                value = self._field(obj, node, (*path, key))
                out[key] = _merge(out[key], value) if key in out else value
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition.name.value if node.type_condition else None
                if self._applies(obj.typename, condition):
                    self._select_into(out, obj, node.selection_set, path)
            elif isinstance(node, FragmentSpreadNode):
                fragment = self.fragments[node.name.value]
                if self._applies(obj.typename, fragment.type_condition.name.value):
                    self._select_into(out, obj, fragment.selection_set, path)

    def _field(self, obj: _Object, node: FieldNode, path: tuple[str | int, ...]) -> Any:
        name = node.name.value
        if name == "__typename":
            return obj.typename
        if name == "_entities":
            representations = self.variables.get("representations") or []
            return [
                self._entity(representation, node, (*path, index))
                for index, representation in enumerate(representations)
            ]
        if name == "_service":
            return {"sdl": ""}
        owner = self.owner
        if not owner.declared(self.graph, obj.typename, name):
            raise _Refused(
                f'Cannot query field "{name}" on type "{obj.typename}" in subgraph {self.graph}.'
            )
        info = owner.sg.types[obj.typename].fields[name]
        arguments = {
            a.name.value: _canonical(value_from_ast_untyped(a.value, self.variables))
            for a in node.arguments or ()
        }
        requires, _ = owner.view.join(self.graph, obj.typename, name)
        required: dict[str, Any] = {}
        if requires:
            representation = obj.representation or {}
            for selection in parse_field_set(requires):
                if not isinstance(selection, Field):
                    continue
                if selection.name not in representation:
                    self.errors.append(
                        {
                            "message": f"missing @requires field {selection.name}",
                            "path": list(path),
                        }
                    )
                    return None
                required[selection.name] = representation[selection.name]
        is_key = name in owner._keys.get(obj.typename, set())
        seed = obj.seed if is_key else seed_of(obj.seed, name, arguments, required)
        # subgraphs sharing a field (@shareable) must answer the same data (for a type-level
        # @shareable there are no @join__field entries: every subgraph of the type shares it)
        sharers = [j.graph for j in info.joins if j.graph is not None and not j.external] or [
            t.graph for t in owner.sg.types[obj.typename].graphs
        ]
        return self._value(info.type_in(self.graph), seed, node, path, sharers, key=is_key)

    def _value(
        self,
        type_string: str,
        seed: int,
        node: FieldNode,
        path: tuple[str | int, ...],
        sharers: list[str],
        *,
        key: bool,
    ) -> Any:
        shape, non_null, inner = _parse_type(type_string)
        if not non_null and not key and seed % 7 == 0:
            if seed % 2 == 0:  # some nulls come with a field error, as a failing resolver's do
                self.errors.append({"message": f"{node.name.value} failed", "path": list(path)})
            return None
        if shape == "list":
            assert inner is not None
            length = seed % _MAX_LIST
            return [
                self._value(inner, seed_of(seed, index), node, (*path, index), sharers, key=False)
                for index in range(length)
            ]
        owner = self.owner
        info = owner.sg.types.get(shape)
        if info is None or shape in _LEAVES or info.kind not in ("OBJECT", "INTERFACE", "UNION"):
            return owner.leaf(shape, seed, node.name.value, key=key)
        typename: str | None = shape
        if info.kind in ("INTERFACE", "UNION"):
            typename = owner.concrete(self.graph, shape, seed, sharers)
            if typename is None:
                return None
        assert typename is not None
        if node.selection_set is None:
            return None
        return self.select(_Object(typename, seed), node.selection_set, path)

    def _entity(
        self, representation: dict[str, Any], node: FieldNode, path: tuple[str | int, ...]
    ) -> Any:
        obj = self.owner.entity(self.graph, representation)
        if obj is None or node.selection_set is None:
            return None
        return self.select(obj, node.selection_set, path)


def _canonical(value: Any) -> Any:
    """An argument value with every scalar as text (`4` and `"4"` are the same ID)."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return None if value is None else str(value)


def _merge(existing: Any, value: Any) -> Any:
    """Merge two results of one response key (GraphQL spec 6.3.2 CollectFields)."""
    if isinstance(existing, dict) and isinstance(value, dict):
        for key, item in value.items():
            existing[key] = _merge(existing[key], item) if key in existing else item
        return existing
    if isinstance(existing, list) and isinstance(value, list):
        return [_merge(left, right) for left, right in zip(existing, value, strict=True)]
    return value
