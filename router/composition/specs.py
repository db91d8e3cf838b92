"""Supergraph definitions of the link, join and security specs (https://specs.apollo.dev)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COST_URL",
    "LINK_URL",
    "LINK_V1_DEFINITIONS",
    "SUPPORTED_FEDERATION_VERSIONS",
    "FeatureSpec",
    "JoinVersion",
    "feature_specs",
    "join_version_for",
]

LINK_URL = "https://specs.apollo.dev/link/v1.0"
COST_URL = "https://specs.apollo.dev/cost/v0.1"

#: The federation spec versions a subgraph may ``@link`` (https://specs.apollo.dev/federation).
SUPPORTED_FEDERATION_VERSIONS: tuple[tuple[int, int], ...] = tuple(
    (2, minor) for minor in range(15)
)

LINK_V1_DEFINITIONS = '''directive @link(url: String, as: String, for: link__Purpose, \
import: [link__Import]) repeatable on SCHEMA

scalar link__Import

enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}
'''


@dataclass(frozen=True, slots=True)
class JoinVersion:
    """One version of the join spec (https://specs.apollo.dev/join) and its definitions."""

    minor: int

    @property
    def url(self) -> str:
        """The ``@link`` url of this join version."""
        return f"https://specs.apollo.dev/join/v0.{self.minor}"

    def definitions(self) -> str:
        """The directive, enum, scalar and input definitions this join version adds."""
        field_args = _JOIN_FIELD_ARGS
        parts = []
        if self.minor >= 4:
            field_args += ", overrideLabel: String"
            parts.append(_JOIN_DIRECTIVE)
        if self.minor >= 5:
            field_args += ", contextArguments: [join__ContextArgument!]"
        parts += [
            "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE",
            f"directive @join__field({field_args}) repeatable on {_FIELD_LOCATIONS}",
            "directive @join__graph(name: String!, url: String!) on ENUM_VALUE",
            _JOIN_IMPLEMENTS,
            _JOIN_TYPE,
            _JOIN_UNION_MEMBER,
            "scalar join__FieldSet",
        ]
        if self.minor >= 4:
            parts.append("scalar join__DirectiveArguments")
        if self.minor >= 5:
            parts += [_JOIN_CONTEXT_ARGUMENT, "scalar join__FieldValue"]
        return "\n\n".join(parts) + "\n"


_JOIN_FIELD_ARGS = (
    "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, "
    "external: Boolean, override: String, usedOverridden: Boolean"
)
_FIELD_LOCATIONS = "FIELD_DEFINITION | INPUT_FIELD_DEFINITION"
_JOIN_DIRECTIVE = (
    "directive @join__directive(graphs: [join__Graph!], name: String!, "
    "args: join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION"
)
_JOIN_IMPLEMENTS = (
    "directive @join__implements(graph: join__Graph!, interface: String!) repeatable on "
    "OBJECT | INTERFACE"
)
_JOIN_TYPE = (
    "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = "
    "false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on "
    "OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR"
)
_JOIN_UNION_MEMBER = (
    "directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION"
)
_JOIN_CONTEXT_ARGUMENT = """input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}"""


def join_version_for(federation: tuple[int, int]) -> JoinVersion:
    """The minimum join version for the latest federation version used (as @apollo/composition)."""
    if federation >= (2, 8):
        return JoinVersion(5)
    if federation >= (2, 7):
        return JoinVersion(4)
    return JoinVersion(3)


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """A spec whose directive is carried into the supergraph with its own ``@link``."""

    name: str
    url: str
    purpose: str | None
    definitions: str


_LOCATIONS_ALL = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | "
    "ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)
_LOCATIONS_AUTH = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"


def feature_specs() -> dict[str, FeatureSpec]:
    """The carried specs keyed by their directive's name, in Apollo's ``@link`` order."""
    return {
        "tag": FeatureSpec(
            "tag",
            "https://specs.apollo.dev/tag/v0.3",
            None,
            f"directive @tag(name: String!) repeatable on {_LOCATIONS_ALL} | SCHEMA\n",
        ),
        "inaccessible": FeatureSpec(
            "inaccessible",
            "https://specs.apollo.dev/inaccessible/v0.2",
            "SECURITY",
            f"directive @inaccessible on {_LOCATIONS_ALL}\n",
        ),
        "authenticated": FeatureSpec(
            "authenticated",
            "https://specs.apollo.dev/authenticated/v0.1",
            "SECURITY",
            f"directive @authenticated on {_LOCATIONS_AUTH}\n",
        ),
        "requiresScopes": FeatureSpec(
            "requiresScopes",
            "https://specs.apollo.dev/requiresScopes/v0.1",
            "SECURITY",
            "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on "
            f"{_LOCATIONS_AUTH}\n\nscalar requiresScopes__Scope\n",
        ),
        "policy": FeatureSpec(
            "policy",
            "https://specs.apollo.dev/policy/v0.1",
            "SECURITY",
            f"directive @policy(policies: [[policy__Policy!]!]!) on {_LOCATIONS_AUTH}\n\n"
            "scalar policy__Policy\n",
        ),
        # demand control: @listSize is imported when used, else named cost__listSize
        "cost": FeatureSpec(
            "cost",
            COST_URL,
            None,
            "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | "
            "INPUT_FIELD_DEFINITION | OBJECT | SCALAR\n\n"
            "directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: "
            "[String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION\n",
        ),
    }
