"""Resolve a subgraph's ``@link`` imports and renames to federation directive names (https://specs.apollo.dev/link/v1.0)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphql import (
    DirectiveNode,
    DocumentNode,
    ListValueNode,
    ObjectValueNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
    ValueNode,
)

from router.composition.specs import SUPPORTED_FEDERATION_VERSIONS

__all__ = [
    "FEDERATION_DIRECTIVE_NAMES",
    "CustomLink",
    "LinkError",
    "SubgraphLinks",
    "UnknownFederationVersionError",
    "resolve_links",
]

#: Directive names of the federation spec v2.x (https://specs.apollo.dev/federation/v2.11).
#: Federation directives and the federation/v2.x minor version that introduced each
#: (https://specs.apollo.dev/federation/v2.12).
FEDERATION_DIRECTIVE_SINCE: dict[str, int] = {
    "key": 0,
    "requires": 0,
    "provides": 0,
    "external": 0,
    "extends": 0,
    "shareable": 0,
    "inaccessible": 0,
    "tag": 0,
    "override": 0,
    "composeDirective": 1,
    "interfaceObject": 3,
    "authenticated": 5,
    "requiresScopes": 5,
    "policy": 6,
    "context": 8,
    "fromContext": 8,
    "cost": 9,
    "listSize": 9,
    "cacheTag": 12,
}
FEDERATION_DIRECTIVE_NAMES = frozenset(FEDERATION_DIRECTIVE_SINCE)
_FEDERATION_TYPE_SINCE = {"FieldSet": 0, "Scope": 5, "Policy": 6, "ContextFieldValue": 8}
_FED1_DIRECTIVES = ("key", "requires", "provides", "external", "extends", "tag", "inaccessible")
_FEDERATION_URL = re.compile(r"^https://specs\.apollo\.dev/federation/v(\d+)\.(\d+)$")
_SPEC_URL = re.compile(r"^(?P<base>.*?)/(?P<name>[A-Za-z_][A-Za-z0-9_-]*)/v(?P<ver>\d+\.\d+)$")
_CARRIED_SPECS = frozenset({"inaccessible", "tag", "authenticated", "requiresScopes", "policy"})
_SPEC_HOST = "https://specs.apollo.dev"


class LinkError(ValueError):
    """A malformed or unsupported ``@link`` application."""


class UnknownFederationVersionError(LinkError):
    """The federation spec version linked is not one this composer knows."""


@dataclass(slots=True)
class CustomLink:
    """A ``@link`` to a non-federation spec (candidate for ``@composeDirective``)."""

    url: str
    name: str
    imports: dict[str, str] = field(default_factory=dict)  # local name -> name in the spec
    alias: str | None = None


@dataclass(slots=True)
class SubgraphLinks:
    """How a subgraph names federation directives, and which other specs it links."""

    federation_version: tuple[int, int] | None
    canonical: dict[str, str]  # local directive name -> federation directive name
    custom: list[CustomLink] = field(default_factory=list)
    link_names: frozenset[str] = frozenset({"link"})

    @property
    def is_fed2(self) -> bool:
        """Whether the subgraph opted into Federation 2 with a ``@link``."""
        return self.federation_version is not None


def _string(value: ValueNode | None) -> str | None:
    return value.value if isinstance(value, StringValueNode) else None


def _args(directive: DirectiveNode) -> dict[str, ValueNode]:
    return {arg.name.value: arg.value for arg in directive.arguments or ()}


def _imports(value: ValueNode | None) -> list[tuple[str, str]]:
    """``import: [...]`` entries as (name in spec, local name), as written (``@`` kept)."""
    if value is None:
        return []
    items = value.values if isinstance(value, ListValueNode) else (value,)
    result = []
    for item in items:
        if isinstance(item, StringValueNode):
            result.append((item.value, item.value))
        elif isinstance(item, ObjectValueNode):
            fields = {f.name.value: f.value for f in item.fields}
            name = _string(fields.get("name"))
            alias = _string(fields.get("as")) or name
            if name is None or alias is None:
                raise LinkError("an @link import object needs a string `name`")
            if name.startswith("@") != alias.startswith("@"):
                raise LinkError(f'@link import "{name}" and its alias "{alias}" differ in kind')
            result.append((name, alias))
        else:
            raise LinkError("@link(import:) entries must be strings or {name, as} objects")
    return result


def _schema_directives(document: DocumentNode) -> list[DirectiveNode]:
    directives: list[DirectiveNode] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            directives.extend(definition.directives or ())
    return directives


def resolve_links(document: DocumentNode) -> SubgraphLinks:  # noqa: PLR0912 -- one branch per link kind
    """Read the schema's ``@link``s (https://specs.apollo.dev/link/v1.0#@link) into name maps."""
    schema_directives = _schema_directives(document)
    link_names = {"link"}
    for directive in schema_directives:
        url = _string(_args(directive).get("url"))
        if url and url.startswith(f"{_SPEC_HOST}/link/"):
            alias = _string(_args(directive).get("as"))
            if alias:
                link_names.add(alias)
    links = [d for d in schema_directives if d.name.value in link_names]
    version: tuple[int, int] | None = None
    canonical: dict[str, str] = {}
    custom: list[CustomLink] = []
    for link in links:
        args = _args(link)
        url = _string(args.get("url"))
        if url is None:
            raise LinkError("@link needs a string `url`")
        if url.startswith(f"{_SPEC_HOST}/link/"):
            continue
        alias = _string(args.get("as"))
        imports = _imports(args.get("import"))
        fed = _FEDERATION_URL.match(url)
        if fed:
            version = (int(fed.group(1)), int(fed.group(2)))
            if version not in SUPPORTED_FEDERATION_VERSIONS:
                raise UnknownFederationVersionError(
                    f"Invalid version v{version[0]}.{version[1]} for the federation feature in "
                    "@link directive on schema"
                )
            namespace = alias or "federation"
            available = {
                n for n, since in FEDERATION_DIRECTIVE_SINCE.items() if since <= version[1]
            }
            for name in available:
                canonical[f"{namespace}__{name}"] = name
            for name, local in imports:
                bare = name.removeprefix("@")
                if name.startswith("@") and bare in available:
                    canonical.pop(f"{namespace}__{bare}", None)
                    canonical[local.removeprefix("@")] = bare
                elif name.startswith("@") or _FEDERATION_TYPE_SINCE.get(name, 99) > version[1]:
                    raise LinkError(f'Cannot import unknown element "{name}".')
            continue
        spec = _SPEC_URL.match(url)
        if spec is None:
            raise LinkError(f'cannot read the spec name and version of @link url "{url}"')
        name = spec.group("name")
        if spec.group("base") == _SPEC_HOST and name in _CARRIED_SPECS:
            canonical[alias or name] = name
            for imported, local in imports:
                if imported == f"@{name}":
                    canonical[local.removeprefix("@")] = name
            continue
        custom.append(
            CustomLink(
                url=url,
                name=name,
                imports={local.removeprefix("@"): imp.removeprefix("@") for imp, local in imports},
                alias=alias,
            )
        )
    if version is None:
        canonical = {name: name for name in _FED1_DIRECTIVES}
    return SubgraphLinks(
        federation_version=version,
        canonical=canonical,
        custom=custom,
        link_names=frozenset(link_names),
    )
