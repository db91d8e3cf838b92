"""Merge validated subgraphs into a supergraph following Federation 2 composition rules (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition)."""

from __future__ import annotations

from graphql import DirectiveDefinitionNode

from router.composition.access_control import access_control_sources
from router.composition.errors import CompositionError
from router.composition.inaccessible import validate_inaccessible
from router.composition.merge.context import describe
from router.composition.merge.types import TypeMerging
from router.composition.merged import MergedDirectiveDefinition, MergedField, Supergraph
from router.composition.metadata import SubgraphMetadata
from router.composition.model import Kind, Subgraph
from router.composition.specs import join_version_for

__all__ = ["SupergraphMerger", "merge_subgraphs"]

_FED1_UPGRADE = (2, 0)  # fed1 subgraphs are upgraded to a federation/v2.0 link

_MERGE_ORDER = (
    Kind.SCALAR,
    Kind.INPUT_OBJECT,
    Kind.INTERFACE,
    Kind.OBJECT,
    Kind.UNION,
    Kind.ENUM,
)


class SupergraphMerger(TypeMerging):
    """The whole run: shallow types, then merge by kind, then checks on the merged schema."""

    def merge(self) -> Supergraph:
        type_names: list[str] = []
        for subgraph in self.subgraphs:
            type_names += [n for n in subgraph.types if n not in type_names]
        for name in type_names:
            self.shallow(name)
        impl_to_itf, itf_to_impl = self.implementations()
        self.auth_sources = access_control_sources(
            self.subgraphs, self.metas, impl_to_itf, itf_to_impl
        )
        for kind in _MERGE_ORDER:
            for name in type_names:
                if self.kinds.get(name) is kind:
                    self.merge_type(name)
        for name in [n for n, t in self.types.items() if t.kind is Kind.OBJECT and not t.fields]:
            del self.types[name]
        if "Query" not in self.types:
            self.error(
                "NO_QUERIES",
                "No queries found in any subgraph: a supergraph must have a query root type.",
            )
        self.add_interface_object_fields_to_implementations()
        if not self.errors:  # Apollo validates the merged schema only once merging succeeded
            self.check_interface_fields_implemented()
        if not self.errors:
            self.errors += validate_inaccessible(self.types)
        roots = {
            op: name
            for op, name in (
                ("query", "Query"),
                ("mutation", "Mutation"),
                ("subscription", "Subscription"),
            )
            if name in self.types
        }
        fed_version = max(s.federation_version or _FED1_UPGRADE for s in self.subgraphs)
        composed_links, composed_definitions = self.composed()
        features: list[str] = [
            f
            for f in ("tag", "inaccessible", "authenticated", "requiresScopes", "policy")
            if f in self.used
        ]
        if self.used & {"cost", "listSize"}:
            features.append("cost")
        return Supergraph(
            join=join_version_for(fed_version),
            graphs=[(g, s.name, s.url) for g, s in zip(self.graphs, self.subgraphs, strict=True)],
            features=features,
            feature_names=self.feature_names(features),
            composed_links=composed_links,
            composed_definitions=composed_definitions,
            executable_directives=self.executable_directives(),
            root_types=roots,
            types=self.types,
        )

    def composed(self) -> tuple[list[tuple[str, list[str]]], list[DirectiveDefinitionNode]]:
        links: dict[str, list[str]] = {}
        definitions: dict[str, DirectiveDefinitionNode] = {}
        for subgraph in self.subgraphs:
            for name, definition in subgraph.composed.items():
                url = subgraph.composed_links[name]
                links.setdefault(url, [])
                if f"@{name}" not in links[url]:
                    links[url].append(f"@{name}")
                definitions.setdefault(name, definition)
        return list(links.items()), list(definitions.values())

    def executable_directives(self) -> list[MergedDirectiveDefinition]:
        """Executable directives defined by every subgraph, on their common locations."""
        result = []
        first = self.subgraphs[0].executable_directives if self.subgraphs else {}
        for name in first:
            sources = {i: s.executable_directives.get(name) for i, s in enumerate(self.subgraphs)}
            defs = [d for d in sources.values() if d is not None]
            if len(defs) != len(self.subgraphs):
                continue  # not in every subgraph: left out (Apollo hints)
            locations = [loc for loc in defs[0].locations if all(loc in d.locations for d in defs)]
            if not locations:
                continue
            merged = MergedDirectiveDefinition(
                name=name,
                repeatable=all(d.repeatable for d in defs),
                locations=locations,
                description=describe([d.description for d in defs]),
            )
            holder = MergedField(name=name)
            self.merge_arguments(f"@{name}", holder, sources)
            merged.args = holder.args
            result.append(merged)
        return result

    def implementations(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Supergraph object -> interfaces it implements, and interface -> implementations."""
        impl_to_itf: dict[str, list[str]] = {}
        itf_to_impl: dict[str, list[str]] = {}
        for merged in self.types.values():
            if merged.kind is Kind.OBJECT:
                for itf in merged.interfaces:
                    if self.kinds.get(itf) is Kind.INTERFACE:
                        impl_to_itf.setdefault(merged.name, []).append(itf)
                        itf_to_impl.setdefault(itf, []).append(merged.name)
        return impl_to_itf, itf_to_impl

    def feature_names(self, features: list[str]) -> dict[str, str]:
        """Each carried feature's directive name (and @listSize's, imported only when used)."""
        names = {f: self.feature_name(f) for f in features if f != "cost"}
        if "cost" in features:
            names["cost"] = "cost"
            names["listSize"] = "listSize" if "listSize" in self.used else "cost__listSize"
        return names

    def feature_name(self, feature: str) -> str:
        """The name subgraphs use for a carried directive; they must agree (as Apollo requires)."""
        names = {
            i: s.carried_names[feature]
            for i, s in enumerate(self.subgraphs)
            if feature in s.carried_names
        }
        distinct = list(dict.fromkeys(names.values()))
        if len(distinct) > 1:
            self.error(
                "LINK_IMPORT_NAME_MISMATCH",
                f'The "@{feature}" directive is imported with mismatched name between subgraphs: '
                + " and ".join(
                    f'"@{n}" in {self.subgraph_list([i for i, m in names.items() if m == n])}'
                    for n in distinct
                ),
            )
        return distinct[0] if distinct else feature


def merge_subgraphs(
    subgraphs: list[Subgraph], metas: list[SubgraphMetadata]
) -> tuple[Supergraph, list[CompositionError]]:
    """Merge subgraphs (sorted by name) into a supergraph; errors are returned, not raised."""
    merger = SupergraphMerger(subgraphs, metas)
    supergraph = merger.merge()
    return supergraph, merger.errors
