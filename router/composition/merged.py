"""The composed supergraph before printing: types with join and carried directives (https://specs.apollo.dev/join/v0.5)."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import ConstValueNode, DirectiveDefinitionNode

from router.composition.model import Kind
from router.composition.specs import JoinVersion

__all__ = [
    "Auth",
    "MergedArgument",
    "MergedDirective",
    "MergedDirectiveDefinition",
    "MergedEnumValue",
    "MergedField",
    "MergedType",
    "Supergraph",
]


@dataclass(frozen=True, slots=True)
class Auth:
    """Merged access control of an element: @authenticated, @requiresScopes, @policy."""

    authenticated: bool = False
    scopes: list[list[str]] | None = None
    policies: list[list[str]] | None = None

    @property
    def empty(self) -> bool:
        """No requirement at all."""
        return not self.authenticated and self.scopes is None and self.policies is None


@dataclass(slots=True)
class MergedDirective:
    """A directive application with its arguments already printed as GraphQL values."""

    name: str
    args: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class MergedArgument:
    """A field argument of the supergraph."""

    name: str
    type: str = ""
    default: ConstValueNode | None = None
    description: str | None = None
    directives: list[MergedDirective] = field(default_factory=list)


@dataclass(slots=True)
class MergedField:
    """An output or input field of the supergraph."""

    name: str
    type: str = ""
    default: ConstValueNode | None = None
    description: str | None = None
    args: dict[str, MergedArgument] = field(default_factory=dict)
    directives: list[MergedDirective] = field(default_factory=list)
    auth: Auth = field(default_factory=Auth)


@dataclass(slots=True)
class MergedDirectiveDefinition:
    """An executable directive every subgraph defines, on the locations they share."""

    name: str
    repeatable: bool
    locations: list[str]
    description: str | None = None
    args: dict[str, MergedArgument] = field(default_factory=dict)


@dataclass(slots=True)
class MergedEnumValue:
    """An enum value of the supergraph."""

    name: str
    description: str | None = None
    directives: list[MergedDirective] = field(default_factory=list)


@dataclass(slots=True)
class MergedType:
    """A named type of the supergraph."""

    name: str
    kind: Kind
    description: str | None = None
    directives: list[MergedDirective] = field(default_factory=list)
    fields: dict[str, MergedField] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, MergedEnumValue] = field(default_factory=dict)
    auth: Auth = field(default_factory=Auth)


@dataclass(slots=True)
class Supergraph:
    """The composition result: graphs, carried features, composed directives and types."""

    join: JoinVersion
    graphs: list[tuple[str, str, str]]  # (enum value, subgraph name, url)
    features: list[str]  # carried spec directive names in use: tag, inaccessible, ...
    feature_names: dict[str, str]  # carried directive -> its name in the supergraph
    composed_links: list[tuple[str, list[str]]]  # (url, imported directive names)
    composed_definitions: list[DirectiveDefinitionNode]
    executable_directives: list[MergedDirectiveDefinition]
    root_types: dict[str, str]
    types: dict[str, MergedType]
