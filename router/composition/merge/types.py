"""Merging one named type across subgraphs, with its @join__type directives (https://specs.apollo.dev/join/v0.5#@join__type)."""

from __future__ import annotations

from collections.abc import Mapping

from router.composition.directives import merge_applied
from router.composition.merge.context import describe
from router.composition.merge.interfaces import InterfaceRules
from router.composition.merged import MergedDirective, MergedType
from router.composition.model import Kind, TypeDef

__all__ = ["TypeMerging"]

_KIND_NAMES = {
    Kind.OBJECT: "Object Type",
    Kind.INTERFACE: "Interface Type",
    Kind.UNION: "Union Type",
    Kind.ENUM: "Enum Type",
    Kind.INPUT_OBJECT: "Input Object Type",
    Kind.SCALAR: "Scalar Type",
}


class TypeMerging(InterfaceRules):
    """Types: agree on a kind, then merge description, directives and members per kind."""

    def shallow(self, name: str) -> None:
        sources = self.sources(name)
        kinds = {i: (Kind.INTERFACE if t.interface_object else t.kind) for i, t in sources.items()}
        distinct = list(dict.fromkeys(kinds.values()))
        if len(distinct) > 1:
            parts = []
            for kind in distinct:
                holders = [i for i, k in kinds.items() if k is kind]
                parts.append(f"{_KIND_NAMES[kind]} in {self.subgraph_list(holders)}")
            self.error(
                "TYPE_KIND_MISMATCH",
                f'Type "{name}" has mismatched kind: it is defined as ' + " but ".join(parts),
                name,
            )
            return
        kind = distinct[0]
        if all(t.interface_object for t in sources.values()):
            self.error(
                "INTERFACE_OBJECT_USAGE_ERROR",
                f'Type "{name}" is declared with @interfaceObject in all the subgraphs in which it '
                f"is defined (it is defined in {self.subgraph_list(list(sources))} but should be "
                "defined as an interface in at least one subgraph)",
                name,
            )
        self.kinds[name] = kind
        merged = MergedType(name=name, kind=kind)
        for typedef in sources.values():
            merged.interfaces += [i for i in typedef.interfaces if i not in merged.interfaces]
            merged.members += [m for m in typedef.members if m not in merged.members]
            if typedef.interface_object:
                self.interface_object_fields.setdefault(name, set()).update(
                    f.name
                    for f in typedef.fields.values()
                    if not self.metas[self.index_of(typedef, sources)].is_external(f)
                )
        self.types[name] = merged

    def merge_type(self, name: str) -> None:
        sources = self.sources(name)
        merged = self.types[name]
        self.check_extension_with_no_base(name, sources)
        merged.description = describe([t.description for t in sources.values()])
        merged.directives += self.join_types(sources)
        is_interface = merged.kind is Kind.INTERFACE
        applied, merged.auth = merge_applied(
            (t.applied for t in sources.values()),
            self.used,
            extra=self.auth_sources.get(name) if is_interface else None,
            auth_first=is_interface,
        )
        merged.directives += applied
        merged.directives += [
            self.join("implements", graph=self.graphs[i], interface=interface)
            for i, typedef in sources.items()
            for interface in typedef.interfaces
        ]
        merged.directives += [
            self.join("unionMember", graph=self.graphs[i], member=member)
            for member in merged.members
            for i, typedef in sources.items()
            if member in typedef.members
        ]
        if merged.kind in {Kind.OBJECT, Kind.INTERFACE}:
            if merged.kind is Kind.INTERFACE:
                self.validate_interface(name, sources)
            self.merge_fields(merged, sources)
        elif merged.kind is Kind.ENUM:
            self.merge_enum(merged, sources)
        elif merged.kind is Kind.INPUT_OBJECT:
            self.merge_input(merged, sources)

    def check_extension_with_no_base(self, name: str, sources: Mapping[int, TypeDef]) -> None:
        if name in {"Query", "Mutation", "Subscription"}:
            return
        if any(t.has_definition for t in sources.values()):
            return
        for i, typedef in sources.items():
            # fed1 extensions were checked (and turned into definitions) by the fed1 upgrade
            if typedef.has_extension and self.subgraphs[i].is_fed2:
                self.error(
                    "EXTENSION_WITH_NO_BASE",
                    f'[{self.names[i]}] Type "{name}" is an extension type, but there is no type '
                    f'definition for "{name}" in any subgraph.',
                    name,
                )

    def join_types(self, sources: Mapping[int, TypeDef]) -> list[MergedDirective]:
        result = []
        for i, typedef in sources.items():
            graph = self.graphs[i]
            # The fed1 upgrade turns type extensions into definitions.
            fed2 = self.subgraphs[i].is_fed2
            interface_object = True if typedef.interface_object else None
            if not typedef.keys:
                result.append(self.join("type", graph=graph, isInterfaceObject=interface_object))
                continue
            result += [
                self.join(
                    "type",
                    graph=graph,
                    key=key.fields,
                    extension=True if typedef.extends or (fed2 and key.of_extension) else None,
                    resolvable=key.resolvable_arg,
                    isInterfaceObject=interface_object,
                )
                for key in typedef.keys
            ]
        return result
