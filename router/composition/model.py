"""The normalised model of one Federation subgraph's schema (https://specs.apollo.dev/federation/v2.11)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from graphql import ConstValueNode, DirectiveDefinitionNode, DirectiveNode

__all__ = [
    "Applied",
    "Argument",
    "DirectiveDef",
    "EnumValue",
    "Field",
    "Key",
    "Kind",
    "ListSizeArgs",
    "Subgraph",
    "TypeDef",
]


class Kind(StrEnum):
    """GraphQL named type kinds, spelled as in introspection."""

    OBJECT = "OBJECT"
    INTERFACE = "INTERFACE"
    UNION = "UNION"
    ENUM = "ENUM"
    INPUT_OBJECT = "INPUT_OBJECT"
    SCALAR = "SCALAR"


@dataclass(slots=True)
class ListSizeArgs:
    """One ``@listSize`` application (https://specs.apollo.dev/cost/v0.1); None: not given."""

    assumed_size: int | None = None
    slicing_arguments: list[str] | None = None
    sized_fields: list[str] | None = None
    require_one: bool | None = None
    order: list[str] = field(default_factory=list)  # argument names as written


@dataclass(slots=True)
class Applied:
    """Directives merged into the supergraph: ``@inaccessible``, ``@tag``, auth and custom ones."""

    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    authenticated: bool = False
    scopes: list[list[str]] | None = None
    policies: list[list[str]] | None = None
    cost: int | None = None  # @cost(weight:)
    list_size: ListSizeArgs | None = None
    others: list[DirectiveNode] = field(default_factory=list)  # @deprecated, composed directives
    order: list[str] = field(default_factory=list)  # directive names as first written


@dataclass(slots=True)
class Argument:
    """A field argument."""

    name: str
    type: str
    default: ConstValueNode | None = None
    description: str | None = None
    applied: Applied = field(default_factory=Applied)


@dataclass(slots=True)
class DirectiveDef:
    """A directive definition with executable locations (merged into the supergraph)."""

    name: str
    args: dict[str, Argument]
    repeatable: bool
    locations: list[str]
    description: str | None = None


@dataclass(slots=True)
class Field:
    """An output field or input field with its federation directives."""

    name: str
    type: str
    parent: str
    args: dict[str, Argument] = field(default_factory=dict)
    default: ConstValueNode | None = None  # input fields only
    description: str | None = None
    applied: Applied = field(default_factory=Applied)
    external: bool = False
    requires: str | None = None
    provides: str | None = None
    shareable: bool = False
    override_from: str | None = None
    override_label: str | None = None
    of_extension: bool = False

    @property
    def coordinate(self) -> str:
        """The schema coordinate ``Type.field``."""
        return f"{self.parent}.{self.name}"


@dataclass(slots=True)
class EnumValue:
    """An enum value."""

    name: str
    description: str | None = None
    applied: Applied = field(default_factory=Applied)


@dataclass(frozen=True, slots=True)
class Key:
    """One ``@key`` application (https://specs.apollo.dev/federation/v2.11#@key)."""

    fields: str
    resolvable_arg: bool | None  # as written: None when the argument is absent
    of_extension: bool

    @property
    def resolvable(self) -> bool:
        """Whether the router may use this key to fetch the entity from this subgraph."""
        return self.resolvable_arg is not False


@dataclass(slots=True)
class TypeDef:
    """A named type as one subgraph defines it (definition and extensions merged)."""

    name: str
    kind: Kind
    description: str | None = None
    applied: Applied = field(default_factory=Applied)
    fields: dict[str, Field] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, EnumValue] = field(default_factory=dict)
    keys: list[Key] = field(default_factory=list)
    extends: bool = False
    shareable_on: set[bool] = field(default_factory=set)  # of_extension flags of type @shareable
    external_on_type: bool = False
    interface_object: bool = False
    has_definition: bool = False
    has_extension: bool = False


@dataclass(slots=True)
class Subgraph:
    """A named subgraph: its routing URL, federation version and normalised types."""

    name: str
    url: str
    federation_version: tuple[int, int] | None
    types: dict[str, TypeDef]
    root_types: dict[str, str]  # operation -> type name ("query" -> "Query")
    composed: dict[str, DirectiveDefinitionNode] = field(default_factory=dict)
    composed_links: dict[str, str] = field(default_factory=dict)  # directive name -> spec url
    carried_names: dict[str, str] = field(default_factory=dict)  # e.g. "tag" -> "fed__tag"
    executable_directives: dict[str, DirectiveDef] = field(default_factory=dict)

    @property
    def is_fed2(self) -> bool:
        """Whether the subgraph uses Federation 2 (a federation ``@link``)."""
        return self.federation_version is not None
