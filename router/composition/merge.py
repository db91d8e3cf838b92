"""Merge validated subgraphs into a supergraph following Federation 2 composition rules (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from graphql import ConstValueNode, DirectiveDefinitionNode, print_ast

from router.composition.access_control import access_control_sources
from router.composition.directives import merge_applied, print_string
from router.composition.errors import CompositionError
from router.composition.fieldset import base_type
from router.composition.inaccessible import validate_inaccessible
from router.composition.merged import (
    MergedArgument,
    MergedDirective,
    MergedDirectiveDefinition,
    MergedEnumValue,
    MergedField,
    MergedType,
    Supergraph,
)
from router.composition.metadata import SubgraphMetadata
from router.composition.model import (
    Applied,
    Argument,
    DirectiveDef,
    EnumValue,
    Field,
    Kind,
    Subgraph,
    TypeDef,
)
from router.composition.specs import join_version_for
from router.composition.types import is_strict_subtype, is_subtype

__all__ = ["merge_subgraphs"]

_AUTH_DIRECTIVES = frozenset({"authenticated", "requiresScopes", "policy"})
_FED1_UPGRADE = (2, 0)  # fed1 subgraphs are upgraded to a federation/v2.0 link
_LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")
_PERCENT = re.compile(r"^percent\((\d{1,2}(\.\d{1,8})?|100)\)$")
_KIND_NAMES = {
    Kind.OBJECT: "Object Type",
    Kind.INTERFACE: "Interface Type",
    Kind.UNION: "Union Type",
    Kind.ENUM: "Enum Type",
    Kind.INPUT_OBJECT: "Input Object Type",
    Kind.SCALAR: "Scalar Type",
}
_MERGE_ORDER = (
    Kind.SCALAR,
    Kind.INPUT_OBJECT,
    Kind.INTERFACE,
    Kind.OBJECT,
    Kind.UNION,
    Kind.ENUM,
)


def graph_enum_name(name: str) -> str:
    """The ``join__Graph`` value for a subgraph name (as @apollo/composition sanitises it)."""
    sanitised = re.sub(r"\W", "_", name)
    if re.match(r"^\d", sanitised):
        sanitised = "_" + sanitised
    if re.search(r"_\d+$", sanitised):
        sanitised += "_"
    return sanitised.upper()


@dataclass(slots=True)
class _OverrideState:
    """Per-field override outcome (https://specs.apollo.dev/federation/v2.7#@override)."""

    used_overridden: set[int] = field(default_factory=set)
    unused_overridden: set[int] = field(default_factory=set)
    unknown_target: set[int] = field(default_factory=set)
    labels: dict[int, str] = field(default_factory=dict)

    def overridden(self, idx: int) -> bool:
        return idx in self.used_overridden or idx in self.unused_overridden


def _describe(descriptions: list[str | None]) -> str | None:
    """Pick a description as Apollo does: the only one, the only non-empty, else the commonest."""
    seen: list[str] = []
    counts: list[int] = []
    for description in descriptions:
        if description is None:
            continue
        if description in seen:
            counts[seen.index(description)] += 1
        else:
            seen.append(description)
            counts.append(-(2**53) if description == "" else 1)
    if not seen:
        return None
    non_empty = [d for d in seen if d]
    if len(seen) == 1:
        return seen[0]
    if len(non_empty) == 1:
        return non_empty[0]
    return seen[counts.index(max(counts))]


class _Merger:
    def __init__(self, subgraphs: list[Subgraph], metas: list[SubgraphMetadata]) -> None:
        self.subgraphs = subgraphs
        self.metas = metas
        self.names = [s.name for s in subgraphs]
        self.graphs = self.graph_names()
        self.errors: list[CompositionError] = []
        self.used: set[str] = set()
        self.enum_usage: dict[str, set[str]] = {}
        self.types: dict[str, MergedType] = {}
        self.kinds: dict[str, Kind] = {}
        self.interface_object_fields: dict[str, set[str]] = {}
        self.auth_sources: dict[str, dict[str, list[Applied]]] = {}

    # ------------------------------------------------------------------ helpers
    def graph_names(self) -> list[str]:
        sanitised = [graph_enum_name(n) for n in self.names]
        result = []
        for name, value in zip(self.names, sanitised, strict=True):
            clashes = [n for n, v in zip(self.names, sanitised, strict=True) if v == value]
            result.append(value if len(clashes) == 1 else f"{value}_{clashes.index(name) + 1}")
        return result

    def error(self, code: str, message: str, coordinate: str | None = None) -> None:
        self.errors.append(CompositionError(code, message, None, coordinate))

    def join(self, name: str, **args: str | bool | None) -> MergedDirective:
        printed: list[tuple[str, str]] = []
        for key, value in args.items():
            if value is None:
                continue
            if isinstance(value, bool):
                printed.append((key, "true" if value else "false"))
            elif key == "graph":
                printed.append((key, value))
            else:
                printed.append((key, print_string(value)))
        return MergedDirective(f"join__{name}", printed)

    def is_possible(self, abstract: str, member: str) -> bool:
        merged = self.types.get(abstract)
        if merged is None:
            return False
        if merged.kind is Kind.UNION:
            return member in merged.members
        implementer = self.types.get(member)
        return implementer is not None and abstract in implementer.interfaces

    def per_subgraph(self, values: Mapping[int, str | None]) -> str:
        """``X in subgraph "a" and Y in subgraph "b"`` for the subgraphs that have a value."""
        return " and ".join(
            f'{v} in subgraph "{self.names[i]}"' for i, v in values.items() if v is not None
        )

    def subgraph_list(self, names: list[int]) -> str:
        quoted = [f'"{self.names[i]}"' for i in names]
        if len(quoted) == 1:
            return f"subgraph {quoted[0]}"
        return "subgraphs " + ", ".join(quoted[:-1]) + f" and {quoted[-1]}"

    # ------------------------------------------------------------------ driver
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
        return Supergraph(
            join=join_version_for(fed_version),
            graphs=[(g, s.name, s.url) for g, s in zip(self.graphs, self.subgraphs, strict=True)],
            features=features,
            feature_names={f: self.feature_name(f) for f in features},
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
                description=_describe([d.description for d in defs]),
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

    def sources(self, name: str) -> dict[int, TypeDef]:
        return {i: s.types[name] for i, s in enumerate(self.subgraphs) if name in s.types}

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

    @staticmethod
    def index_of(typedef: TypeDef, sources: Mapping[int, TypeDef]) -> int:
        return next(i for i, t in sources.items() if t is typedef)

    # ------------------------------------------------------------------ types
    def merge_type(self, name: str) -> None:
        sources = self.sources(name)
        merged = self.types[name]
        self.check_extension_with_no_base(name, sources)
        merged.description = _describe([t.description for t in sources.values()])
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

    def validate_interface(self, name: str, sources: Mapping[int, TypeDef]) -> None:
        implementations = [
            t.name for t in self.types.values() if t.kind is Kind.OBJECT and name in t.interfaces
        ]
        for i, typedef in sources.items():
            subgraph = self.subgraphs[i]
            if typedef.interface_object:
                defined = [n for n in implementations if n in subgraph.types]
                if defined:
                    self.error(
                        "INTERFACE_OBJECT_USAGE_ERROR",
                        f'[{subgraph.name}] Interface type "{name}" is defined as an '
                        f'@interfaceObject in subgraph "{subgraph.name}" so that subgraph should '
                        f'not define any of the implementation types of "{name}", but it defines '
                        + ", ".join(f'"{d}"' for d in defined),
                        name,
                    )
                continue
            if not any(k.resolvable for k in typedef.keys):
                continue
            local = [
                t.name
                for t in subgraph.types.values()
                if t.kind is Kind.OBJECT and name in t.interfaces
            ]
            missing = [n for n in implementations if n not in local]
            if missing:
                self.error(
                    "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
                    f'[{subgraph.name}] Interface type "{name}" has a resolvable key in subgraph '
                    f'"{subgraph.name}" but that subgraph is missing some of the supergraph '
                    f'implementation types of "{name}". Subgraph "{subgraph.name}" should define '
                    + ", ".join(f'"{m}"' for m in missing)
                    + f' (and have {"them" if len(missing) > 1 else "it"} implement "{name}").',
                    name,
                )

    # ------------------------------------------------------------------ fields
    def field_sources(
        self, merged: MergedType, sources: Mapping[int, TypeDef]
    ) -> dict[str, dict[int, Field | None]]:
        extra: dict[int, None] = {}
        for i, subgraph in enumerate(self.subgraphs):
            abstracted = any(
                subgraph.types.get(itf) is not None and subgraph.types[itf].interface_object
                for itf in merged.interfaces
            )
            if abstracted or i in sources:
                extra[i] = None
        result: dict[str, dict[int, Field | None]] = {}
        for i, typedef in sources.items():
            for f in typedef.fields.values():
                result.setdefault(f.name, dict(extra))[i] = f
        return result

    def abstracted_fields(self, parent: str, field_name: str, idx: int) -> list[Field]:
        """Fields of ``@interfaceObject`` types of subgraph ``idx`` that stand for this field."""
        subgraph = self.subgraphs[idx]
        merged = self.types[parent]
        if merged.kind is not Kind.OBJECT or parent in subgraph.types:
            return []
        result = []
        for itf in merged.interfaces:
            typedef = subgraph.types.get(itf)
            if typedef is not None and typedef.interface_object and field_name in typedef.fields:
                result.append(typedef.fields[field_name])
        return result

    def merge_fields(self, merged: MergedType, sources: Mapping[int, TypeDef]) -> None:
        for name, fsources in self.field_sources(merged, sources).items():
            dest = MergedField(name=name)
            merged.fields[name] = dest
            state = self.validate_override(merged, dest, fsources)
            self.merge_field(merged, dest, fsources, state)
            if merged.kind is Kind.OBJECT:
                self.validate_sharing(merged, dest, fsources, state)

    def validate_override(
        self, parent: MergedType, dest: MergedField, sources: dict[int, Field | None]
    ) -> _OverrideState:
        state = _OverrideState()
        overriding = {
            i: f for i, f in sources.items() if f is not None and f.override_from is not None
        }
        coordinate = f"{parent.name}.{dest.name}"
        for i, f in overriding.items():
            name = self.names[i]
            source_name = f.override_from or ""
            if (
                parent.kind is Kind.INTERFACE
                and not self.subgraphs[i].types[parent.name].interface_object
            ):
                self.error(
                    "OVERRIDE_ON_INTERFACE",
                    f'@override cannot be used on field "{coordinate}" on subgraph "{name}": '
                    "@override is not supported on interface type fields.",
                    coordinate,
                )
                continue
            if self.subgraphs[i].types[parent.name].interface_object:
                self.error(
                    "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                    "@override is not yet supported on fields of @interfaceObject types: cannot "
                    f'be used on field "{coordinate}" on subgraph "{name}".',
                    coordinate,
                )
                continue
            if source_name not in self.names:
                state.unknown_target.add(i)
                continue
            from_idx = self.names.index(source_name)
            from_field = sources.get(from_idx)
            if source_name == name:
                self.error(
                    "OVERRIDE_FROM_SELF_ERROR",
                    f'Source and destination subgraphs "{source_name}" are the same for '
                    f'overridden field "{coordinate}"',
                    coordinate,
                )
            elif from_idx in overriding:
                self.error(
                    "OVERRIDE_SOURCE_HAS_OVERRIDE",
                    f'Field "{coordinate}" on subgraph "{name}" is also marked with directive '
                    f'@override in subgraph "{source_name}". Only one @override directive is '
                    "allowed per field.",
                    coordinate,
                )
            elif from_field is None:
                if self.abstracted_fields(parent.name, dest.name, from_idx):
                    self.error(
                        "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                        f'Invalid @override on field "{coordinate}" of subgraph "{name}": source '
                        f'subgraph "{source_name}" does not have field "{coordinate}" but '
                        "abstract it in an @interfaceObject and overriding abstracted fields is "
                        "not supported.",
                        coordinate,
                    )
            else:
                self.apply_override(i, f, from_idx, from_field, coordinate, state)
        return state

    def apply_override(
        self,
        idx: int,
        f: Field,
        from_idx: int,
        from_field: Field,
        coordinate: str,
        state: _OverrideState,
    ) -> None:
        from_meta = self.metas[from_idx]
        conflict = None
        if from_field.requires is not None:
            conflict = ("requires", self.names[from_idx])
        elif from_field.provides is not None:
            conflict = ("provides", self.names[from_idx])
        elif self.metas[idx].is_external(f):
            conflict = ("external", self.names[idx])
        if conflict is not None:
            self.error(
                "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                f'@override cannot be used on field "{coordinate}" on subgraph '
                f'"{self.names[idx]}" since "{coordinate}" on "{conflict[1]}" is marked with '
                f'directive "@{conflict[0]}"',
                coordinate,
            )
            return
        if from_meta.is_external(from_field):
            pass
        elif from_meta.is_used(from_field):
            state.used_overridden.add(from_idx)
        else:
            state.unused_overridden.add(from_idx)
        label = f.override_label
        if label is None:
            return
        percent = _PERCENT.match(label)
        if _LABEL.match(label) or (percent and 0 <= float(percent.group(1)) <= 100):
            state.labels[idx] = label
            state.labels[from_idx] = label
        else:
            self.error(
                "OVERRIDE_LABEL_INVALID",
                f'Invalid @override label "{label}" on field "{coordinate}" on subgraph '
                f'"{self.names[idx]}": labels must start with a letter and after that may contain '
                "alphanumerics, underscores, minuses, colons, periods, or slashes. Alternatively, "
                'labels may be of the form "percent(x)" where x is a float between 0-100 '
                "inclusive.",
                coordinate,
            )

    def merge_field(
        self,
        parent: MergedType,
        dest: MergedField,
        sources: dict[int, Field | None],
        state: _OverrideState,
    ) -> None:
        coordinate = f"{parent.name}.{dest.name}"
        all_external = True
        for i, f in sources.items():
            if f is None:
                abstracted = self.abstracted_fields(parent.name, dest.name, i)
                all_external = all_external and all(
                    self.metas[i].is_external(a) for a in abstracted
                )
            else:
                all_external = all_external and self.metas[i].is_external(f)
        if all_external:
            defining = [i for i, f in sources.items() if f is not None]
            self.error(
                "EXTERNAL_MISSING_ON_BASE",
                f'Field "{coordinate}" is marked @external on all the subgraphs in which it is '
                f"listed ({self.subgraph_list(defining)}).",
                coordinate,
            )
            first = next(f for f in sources.values() if f is not None)
            dest.type = first.type
            return
        internal = {
            i: (f if f is not None and not self.metas[i].is_external(f) else None)
            for i, f in sources.items()
        }
        present = [f for f in internal.values() if f is not None]
        dest.description = _describe([f.description for f in present])
        applied, dest.auth = merge_applied(
            (f.applied for f in present),
            self.used,
            extra=self.auth_sources.get(coordinate),
            auth_first=True,
        )
        dest.directives += applied
        self.merge_arguments(coordinate, dest, internal)
        typed = internal if present else sources
        all_equal = self.merge_type_ref(coordinate, dest, typed, input_position=False)
        self.validate_externals(coordinate, dest, sources, all_equal)
        self.add_join_fields(parent.name, dest, sources, all_equal, state)

    def merge_arguments(
        self,
        coordinate: str,
        dest: MergedField,
        sources: Mapping[int, Field | DirectiveDef | None],
    ) -> None:
        names: list[str] = []
        for f in sources.values():
            if f is not None:
                names += [a for a in f.args if a not in names]
        for name in names:
            arg_coordinate = f"{coordinate}({name}:)"
            missing = [i for i, f in sources.items() if f is not None and name not in f.args]
            if missing:
                required = [
                    i
                    for i, f in sources.items()
                    if f is not None and name in f.args and self.required(f.args[name])
                ]
                if required:
                    self.error(
                        "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
                        f'Argument "{arg_coordinate}" is required in some subgraphs but does not '
                        f"appear in all subgraphs: it is required in "
                        f"{self.subgraph_list(required)} but does not appear in "
                        f"{self.subgraph_list(missing)}",
                        arg_coordinate,
                    )
                continue
            arg_sources: dict[int, Argument | None] = {
                i: (f.args[name] if f is not None else None) for i, f in sources.items()
            }
            present = [a for a in arg_sources.values() if a is not None]
            arg = MergedArgument(name=name)
            arg.description = _describe([a.description for a in present])
            arg.directives, _ = merge_applied((a.applied for a in present), self.used)
            self.merge_type_ref(arg_coordinate, arg, arg_sources, input_position=True)
            arg.default = self.merge_default(arg_coordinate, arg_sources, "Argument")
            dest.args[name] = arg

    @staticmethod
    def required(arg: Argument | Field) -> bool:
        return arg.type.endswith("!") and arg.default is None

    def merge_default(
        self,
        coordinate: str,
        sources: Mapping[int, Argument | Field | None],
        kind: str,
    ) -> ConstValueNode | None:
        printed: dict[int, str | None] = {
            i: (print_ast(s.default) if s.default is not None else None)
            for i, s in sources.items()
            if s is not None
        }
        values = [v for v in printed.values() if v is not None]
        if not values:
            return None
        if len(set(values)) > 1:
            self.error(
                "FIELD_ARGUMENT_DEFAULT_MISMATCH"
                if kind == "Argument"
                else "INPUT_FIELD_DEFAULT_MISMATCH",
                f'{kind} "{coordinate}" has incompatible default values across subgraphs: it has '
                + self.per_subgraph({i: v and f"default value {v}" for i, v in printed.items()}),
                coordinate,
            )
            return None
        if None in printed.values():
            return None  # inconsistent presence: Apollo keeps no default (with a hint)
        first = next(s for s in sources.values() if s is not None)
        return first.default

    def merge_type_ref(
        self,
        coordinate: str,
        dest: MergedField | MergedArgument,
        sources: Mapping[int, Argument | Field | None],
        *,
        input_position: bool,
    ) -> bool:
        dest_type: str | None = None
        has_subtypes = False
        incompatible = False
        for source in sources.values():
            if source is None:
                continue
            if dest_type is None or dest_type == source.type:
                dest_type = source.type
            elif is_strict_subtype(dest_type, source.type, self.is_possible):
                has_subtypes = True
                if input_position:
                    dest_type = source.type
            elif is_strict_subtype(source.type, dest_type, self.is_possible):
                has_subtypes = True
                if not input_position:
                    dest_type = source.type
            else:
                incompatible = True
        assert dest_type is not None
        dest.type = dest_type
        base = base_type(dest_type)
        if self.kinds.get(base) is Kind.ENUM:
            self.enum_usage.setdefault(base, set()).add("Input" if input_position else "Output")
        if incompatible:
            kind = "argument" if isinstance(dest, MergedArgument) else "field"
            self.error(
                "FIELD_ARGUMENT_TYPE_MISMATCH" if kind == "argument" else "FIELD_TYPE_MISMATCH",
                f'Type of {kind} "{coordinate}" is incompatible across subgraphs: it has '
                + self.per_subgraph(
                    {i: f'type "{s.type}"' if s else None for i, s in sources.items()}
                ),
                coordinate,
            )
            return False
        return not has_subtypes

    def validate_externals(
        self,
        coordinate: str,
        dest: MergedField,
        sources: dict[int, Field | None],
        all_equal: bool,
    ) -> None:
        mismatched = False
        for i, f in sources.items():
            if f is None or not self.metas[i].is_external(f):
                continue
            if not (
                f.type == dest.type
                or (not all_equal and is_strict_subtype(dest.type, f.type, self.is_possible))
            ):
                mismatched = True
            for arg_name, dest_arg in dest.args.items():
                arg = f.args.get(arg_name)
                arg_coordinate = f"{coordinate}({arg_name}:)"
                if arg is None:
                    self.error(
                        "EXTERNAL_ARGUMENT_MISSING",
                        f'Field "{coordinate}" is missing argument "{arg_coordinate}" in '
                        f'subgraph "{self.names[i]}" where it is marked @external.',
                        coordinate,
                    )
                    continue
                if arg.type != dest_arg.type and not is_strict_subtype(
                    arg.type, dest_arg.type, self.is_possible
                ):
                    self.error(
                        "EXTERNAL_ARGUMENT_TYPE_MISMATCH",
                        f'Type of argument "{arg_coordinate}" is incompatible across subgraphs '
                        f'(where "{coordinate}" is marked @external): it has type "{arg.type}" in '
                        f'subgraph "{self.names[i]}" but type "{dest_arg.type}" in the supergraph',
                        arg_coordinate,
                    )
                mine = print_ast(arg.default) if arg.default is not None else None
                theirs = print_ast(dest_arg.default) if dest_arg.default is not None else None
                if mine != theirs:
                    self.error(
                        "EXTERNAL_ARGUMENT_DEFAULT_MISMATCH",
                        f'Argument "{arg_coordinate}" has incompatible defaults across subgraphs '
                        f'(where "{coordinate}" is marked @external): it has default value '
                        f'{mine or "none"} in subgraph "{self.names[i]}" but {theirs or "none"} '
                        "in the supergraph",
                        arg_coordinate,
                    )
        if mismatched:
            self.error(
                "EXTERNAL_TYPE_MISMATCH",
                f'Type of field "{coordinate}" is incompatible across subgraphs (where marked '
                "@external): it has "
                + self.per_subgraph(
                    {i: f'type "{f.type}"' if f else None for i, f in sources.items()}
                ),
                coordinate,
            )

    def needs_join_field(
        self,
        parent: str,
        sources: Mapping[int, Field | None],
        all_equal: bool,
        state: _OverrideState,
    ) -> bool:
        if not all_equal or state.used_overridden or state.labels:
            return True
        for i, f in sources.items():
            if f is not None and i not in state.unused_overridden:
                if self.metas[i].is_external(f) or f.provides is not None or f.requires is not None:
                    return True
            elif parent in self.subgraphs[i].types:
                return True
        return False

    def add_join_fields(
        self,
        parent: str,
        dest: MergedField,
        sources: Mapping[int, Field | None],
        all_equal: bool,
        state: _OverrideState,
    ) -> None:
        if not self.needs_join_field(parent, sources, all_equal, state):
            return
        for i, f in sources.items():
            label = state.labels.get(i)
            if f is None or (i in state.unused_overridden and label is None):
                continue
            dest.directives.insert(
                sum(1 for d in dest.directives if d.name == "join__field"),
                self.join(
                    "field",
                    graph=self.graphs[i],
                    requires=f.requires,
                    provides=f.provides,
                    type=None if all_equal else f.type,
                    external=True if self.metas[i].is_external(f) else None,
                    override=f.override_from,
                    usedOverridden=True if i in state.used_overridden else None,
                    overrideLabel=label,
                ),
            )

    def validate_sharing(
        self,
        parent: MergedType,
        dest: MergedField,
        sources: dict[int, Field | None],
        state: _OverrideState,
    ) -> None:
        shareable: list[int] = []
        non_shareable: list[int] = []
        resolving: list[int] = []
        for i, f in sources.items():
            candidates = (
                self.abstracted_fields(parent.name, dest.name, i)
                if f is None
                else ([] if state.overridden(i) else [f])
            )
            for candidate in candidates:
                if self.metas[i].is_fully_external(candidate):
                    continue
                resolving.append(i)
                (shareable if self.metas[i].is_shareable(candidate) else non_shareable).append(i)
        if non_shareable and (shareable or len(non_shareable) > 1):
            coordinate = f"{parent.name}.{dest.name}"
            culprits = self.subgraph_list(non_shareable) if shareable else "all of them"
            extra = ""
            typo = next((i for i in non_shareable if i in state.unknown_target), None)
            if typo is not None:
                extra = (
                    f' (please note that "{coordinate}" has an @override directive in '
                    f'"{self.names[typo]}" that targets an unknown subgraph so this could be due '
                    "to misspelling the @override(from:) argument)"
                )
            self.error(
                "INVALID_FIELD_SHARING",
                f'Non-shareable field "{coordinate}" is resolved from multiple subgraphs: it is '
                f"resolved from {self.subgraph_list(resolving)} and defined as non-shareable in "
                f"{culprits}{extra}",
                coordinate,
            )

    def check_interface_fields_implemented(self) -> None:
        """Every implementer has each interface field with a compatible type (merged schema)."""
        for merged in self.types.values():
            if merged.kind not in {Kind.OBJECT, Kind.INTERFACE}:
                continue
            for itf_name in merged.interfaces:
                itf = self.types.get(itf_name)
                if itf is None or itf.kind is not Kind.INTERFACE:
                    continue
                for name, itf_field in itf.fields.items():
                    mine = merged.fields.get(name)
                    if mine is not None:
                        if not is_subtype(itf_field.type, mine.type, self.is_possible):
                            self.error(
                                "INVALID_GRAPHQL",
                                f"Interface field {itf_name}.{name} expects type "
                                f"{itf_field.type} but {merged.name}.{name} of type {mine.type} "
                                "is not a proper subtype.",
                                f"{merged.name}.{name}",
                            )
                        continue
                    declaring = [
                        i
                        for i, s in enumerate(self.subgraphs)
                        if itf_name in s.types and name in s.types[itf_name].fields
                    ]
                    implementing = [
                        i
                        for i, s in enumerate(self.subgraphs)
                        if merged.name in s.types and itf_name in s.types[merged.name].interfaces
                    ]
                    self.error(
                        "INTERFACE_FIELD_NO_IMPLEM",
                        f'Interface field "{itf_name}.{name}" is declared in '
                        f'{self.subgraph_list(declaring)} but type "{merged.name}", which '
                        f'implements "{itf_name}" only in {self.subgraph_list(implementing)} does '
                        f'not have field "{name}".',
                        f"{merged.name}.{name}",
                    )

    def add_interface_object_fields_to_implementations(self) -> None:
        for merged in self.types.values():
            if merged.kind is not Kind.OBJECT:
                continue
            for itf_name in merged.interfaces:
                itf = self.types.get(itf_name)
                if itf is None:
                    continue
                provided = self.interface_object_fields.get(itf_name, set())
                for name, itf_field in itf.fields.items():
                    if name in merged.fields or name not in provided:
                        continue
                    copy = MergedField(
                        name=name,
                        type=itf_field.type,
                        description=itf_field.description,
                        args={
                            a.name: MergedArgument(
                                a.name,
                                a.type,
                                a.default,
                                a.description,
                                [d for d in a.directives if not d.name.startswith("join__")],
                            )
                            for a in itf_field.args.values()
                        },
                        directives=[
                            d for d in itf_field.directives if not d.name.startswith("join__")
                        ],
                    )
                    auth_directives, copy.auth = merge_applied(
                        [], self.used, extra=self.auth_sources.get(f"{merged.name}.{name}")
                    )
                    copy.directives = [
                        *auth_directives,
                        *(d for d in copy.directives if d.name not in _AUTH_DIRECTIVES),
                        MergedDirective("join__field"),
                    ]
                    merged.fields[name] = copy

    # ------------------------------------------------------------------ enums and inputs
    def merge_enum(self, merged: MergedType, sources: Mapping[int, TypeDef]) -> None:
        usage = self.enum_usage.get(merged.name, {"Output"})
        position = "Both" if len(usage) > 1 else next(iter(usage))
        names: list[str] = []
        for typedef in sources.values():
            names += [v for v in typedef.values if v not in names]
        for name in names:
            vsources: dict[int, EnumValue | None] = {
                i: t.values.get(name) for i, t in sources.items()
            }
            present = [v for v in vsources.values() if v is not None]
            value = MergedEnumValue(name=name)
            value.description = _describe([v.description for v in present])
            value.directives, _ = merge_applied((v.applied for v in present), self.used)
            value.directives += [
                self.join("enumValue", graph=self.graphs[i])
                for i, v in vsources.items()
                if v is not None
            ]
            inaccessible = any(v.applied.inaccessible for v in present)
            missing = [i for i, v in vsources.items() if v is None]
            if not inaccessible and position != "Output" and missing:
                if position == "Both":
                    defined = [i for i, v in vsources.items() if v is not None]
                    self.error(
                        "ENUM_VALUE_MISMATCH",
                        f'Enum type "{merged.name}" is used as both input type and output type, '
                        f'but value "{name}" is not defined in all the subgraphs defining '
                        f'"{merged.name}": "{name}" is defined in {self.subgraph_list(defined)} '
                        f"but not in {self.subgraph_list(missing)}",
                        f"{merged.name}.{name}",
                    )
                continue
            merged.values[name] = value
        if not merged.values:
            self.error(
                "EMPTY_MERGED_ENUM_TYPE",
                f'None of the values of enum type "{merged.name}" are defined consistently in all '
                "the subgraphs defining that type. As only values common to all subgraphs are "
                "merged, this would result in an empty type.",
                merged.name,
            )

    def merge_input(self, merged: MergedType, sources: Mapping[int, TypeDef]) -> None:
        names: list[str] = []
        for typedef in sources.values():
            names += [f for f in typedef.fields if f not in names]
        for name in names:
            coordinate = f"{merged.name}.{name}"
            fsources: dict[int, Field | None] = {i: t.fields.get(name) for i, t in sources.items()}
            present = [f for f in fsources.values() if f is not None]
            dest = MergedField(name=name)
            dest.description = _describe([f.description for f in present])
            dest.directives, _ = merge_applied((f.applied for f in present), self.used)
            all_equal = self.merge_type_ref(coordinate, dest, fsources, input_position=True)
            self.add_join_fields(merged.name, dest, fsources, all_equal, _OverrideState())
            dest.default = self.merge_default(coordinate, fsources, "Input field")
            inaccessible = any(f.applied.inaccessible for f in present)
            missing = [i for i, f in fsources.items() if f is None]
            if not inaccessible and missing:
                required = [i for i, f in fsources.items() if f is not None and self.required(f)]
                if required:
                    self.error(
                        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
                        f'Input object field "{coordinate}" is required in some subgraphs but does '
                        f"not appear in all subgraphs: it is required in "
                        f"{self.subgraph_list(required)} but does not appear in "
                        f"{self.subgraph_list(missing)}",
                        coordinate,
                    )
                continue
            merged.fields[name] = dest
        if not merged.fields:
            self.error(
                "EMPTY_MERGED_INPUT_TYPE",
                f'None of the fields of input object type "{merged.name}" are consistently '
                "defined in all the subgraphs defining that type. As only fields common to all "
                "subgraphs are merged, this would result in an empty type.",
                merged.name,
            )


def merge_subgraphs(
    subgraphs: list[Subgraph], metas: list[SubgraphMetadata]
) -> tuple[Supergraph, list[CompositionError]]:
    """Merge subgraphs (sorted by name) into a supergraph; errors are returned, not raised."""
    merger = _Merger(subgraphs, metas)
    supergraph = merger.merge()
    return supergraph, merger.errors
