"""Immutable supergraph model (Apollo Federation join spec v0.3/v0.5, https://specs.apollo.dev/join/v0.5)."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import GraphQLSchema

__all__ = [
    "EntityKey",
    "FieldGraph",
    "FieldInfo",
    "Subgraph",
    "Supergraph",
    "TypeGraph",
    "TypeInfo",
]


@dataclass(frozen=True, slots=True)
class Subgraph:
    """A subgraph named by the `join__Graph` enum."""

    enum_value: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class EntityKey:
    """One `@join__type(key:)` of a type in one subgraph."""

    graph: str
    fields: str
    resolvable: bool


@dataclass(frozen=True, slots=True)
class TypeGraph:
    """How one subgraph defines a type (`@join__type`)."""

    graph: str
    keys: tuple[EntityKey, ...]
    is_interface_object: bool
    extension: bool


@dataclass(frozen=True, slots=True)
class FieldGraph:
    """One `@join__field` entry (graph is None for a field no subgraph resolves directly)."""

    graph: str | None
    requires: str | None = None
    provides: str | None = None
    type: str | None = None
    external: bool = False
    override: str | None = None
    used_overridden: bool = False
    override_label: str | None = None


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """A field of a composite type together with the subgraphs that can resolve it."""

    name: str
    type_name: str
    list_depth: int
    non_null: bool
    joins: tuple[FieldGraph, ...]
    inaccessible: bool = False
    type_string: str = ""

    def type_in(self, graph: str) -> str:
        """The field's type as the subgraph declares it (`@join__field(type:)`)."""
        for join in self.joins:
            if join.graph == graph and join.type:
                return join.type
        return self.type_string


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """A named type of the supergraph and its per-subgraph definitions."""

    name: str
    kind: str
    graphs: tuple[TypeGraph, ...]
    fields: dict[str, FieldInfo] = field(default_factory=dict)
    interfaces: tuple[str, ...] = ()
    implements_by_graph: dict[str, tuple[str, ...]] = field(default_factory=dict)
    union_members_by_graph: dict[str, tuple[str, ...]] = field(default_factory=dict)
    inaccessible: bool = False

    def in_graph(self, graph: str) -> TypeGraph | None:
        for type_graph in self.graphs:
            if type_graph.graph == graph:
                return type_graph
        return None


@dataclass(frozen=True, slots=True)
class Supergraph:
    """The parsed supergraph: subgraphs, types, root types and the derived API schema."""

    sdl: str
    subgraphs: dict[str, Subgraph]
    types: dict[str, TypeInfo]
    root_types: dict[str, str]
    api_schema: GraphQLSchema
    possible_types: dict[str, frozenset[str]]

    @property
    def graph_order(self) -> tuple[str, ...]:
        return tuple(self.subgraphs)
