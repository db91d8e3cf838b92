"""Per-subgraph federation metadata and validation: externals, shareability, field sets (https://specs.apollo.dev/federation/v2.11)."""

from __future__ import annotations

from dataclasses import dataclass, field

from router.composition.errors import CompositionError
from router.composition.fieldset import FieldSetError, Target, base_type, collect_targets
from router.composition.model import Field, Kind, Subgraph, TypeDef

__all__ = ["SubgraphMetadata", "analyse_subgraph"]

_BUILTIN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
_COMPOSITE = frozenset({Kind.OBJECT, Kind.INTERFACE, Kind.UNION})


@dataclass(slots=True)
class SubgraphMetadata:
    """Which fields of a subgraph are external, provided, shareable and used by directives."""

    subgraph: Subgraph
    external: set[str] = field(default_factory=set)
    fake_external: set[str] = field(default_factory=set)
    provided: set[str] = field(default_factory=set)
    shareable: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)

    def is_external(self, f: Field) -> bool:
        """``@external`` on the field (or, in Federation 2, on its type), minus fed1 key fields."""
        return f.coordinate in self.external

    def is_fully_external(self, f: Field) -> bool:
        """External and not provided by any ``@provides`` of this subgraph."""
        return self.is_external(f) and f.coordinate not in self.provided

    def is_shareable(self, f: Field) -> bool:
        """Whether the field may also be resolved by other subgraphs."""
        return f.coordinate in self.shareable

    def is_used(self, f: Field) -> bool:
        """Whether a @key/@requires/@provides or an interface needs the field."""
        return f.coordinate in self.used


class _Analyser:
    def __init__(self, subgraph: Subgraph) -> None:
        self.subgraph = subgraph
        self.meta = SubgraphMetadata(subgraph)
        self.errors: list[CompositionError] = []

    def error(self, code: str, message: str, coordinate: str | None) -> None:
        name = self.subgraph.name
        self.errors.append(CompositionError(code, f"[{name}] {message}", name, coordinate))

    def targets(
        self, parent: str, fields: str, directive: str, owner: str, code: str
    ) -> list[Target] | None:
        try:
            return collect_targets(self.subgraph, parent, fields, include_implementations=True)
        except FieldSetError as exc:
            self.error(
                code,
                f'On {owner}, for @{directive}(fields: "{fields}"): {exc}'
                + (
                    " (if the field is defined in another subgraph, you need to add it to this "
                    "subgraph with @external)."
                    if "Cannot query field" in str(exc)
                    else ""
                ),
                owner.split('"')[1] if '"' in owner else None,
            )
            return None

    def run(self) -> None:  # noqa: PLR0912 -- the analysis passes must run in this order
        types = self.subgraph.types
        fed2 = self.subgraph.is_fed2
        for typedef in types.values():
            for f in typedef.fields.values():
                if f.external or (fed2 and typedef.external_on_type):
                    self.meta.external.add(f.coordinate)
            self.check_references(typedef)
        for typedef in types.values():
            self.analyse_keys(typedef)
        self.meta.external -= self.meta.fake_external
        for typedef in types.values():
            for f in typedef.fields.values():
                self.analyse_field(typedef, f)
        for typedef in types.values():
            if typedef.kind is Kind.INTERFACE:
                for implementation in types.values():
                    if typedef.name in implementation.interfaces:
                        for name in typedef.fields:
                            if name in implementation.fields:
                                self.meta.used.add(implementation.fields[name].coordinate)
            if typedef.kind is Kind.OBJECT:
                for f in typedef.fields.values():
                    on_type = any(flag == f.of_extension for flag in typedef.shareable_on)
                    if not fed2 or f.shareable or on_type:
                        self.meta.shareable.add(f.coordinate)
        if fed2:
            self.check_unused_externals()
        else:
            self.drop_unused_fed1_externals()

    def check_references(self, typedef: TypeDef) -> None:
        known = self.subgraph.types
        refs: list[tuple[str, str]] = [(m, typedef.name) for m in typedef.members]
        refs += [(i, typedef.name) for i in typedef.interfaces]
        for f in typedef.fields.values():
            refs.append((base_type(f.type), f.coordinate))
            refs += [(base_type(a.type), f"{f.coordinate}({a.name}:)") for a in f.args.values()]
            if typedef.kind is Kind.INTERFACE and f.external and self.subgraph.is_fed2:
                self.error(
                    "EXTERNAL_ON_INTERFACE",
                    f'Interface type field "{f.coordinate}" is marked @external but @external is '
                    "not allowed on interface fields.",
                    f.coordinate,
                )
        for name, where in refs:
            if name not in known and name not in _BUILTIN_SCALARS:
                self.error("INVALID_GRAPHQL", f'Unknown type "{name}" (used by "{where}").', where)

    def analyse_keys(self, typedef: TypeDef) -> None:
        if typedef.interface_object and not typedef.keys:
            self.error(
                "INTERFACE_OBJECT_USAGE_ERROR",
                f"The @interfaceObject directive can only be applied to entity types but type "
                f'"{typedef.name}" has no @key in this subgraph.',
                typedef.name,
            )
        for key in typedef.keys:
            targets = self.targets(
                typedef.name, key.fields, "key", f'type "{typedef.name}"', "KEY_INVALID_FIELDS"
            )
            for target in targets or ():
                f = target.field
                self.meta.used.add(f.coordinate)
                if typedef.kind in {Kind.OBJECT, Kind.INTERFACE}:
                    self.meta.shareable.add(f.coordinate)
                if target.has_args or f.args:
                    self.error(
                        "KEY_FIELDS_HAS_ARGS",
                        f'On type "{typedef.name}", for @key(fields: "{key.fields}"): field '
                        f"{f.coordinate} cannot be included because it has arguments (fields "
                        "with argument are not allowed in @key)",
                        typedef.name,
                    )
                target_type = self.subgraph.types.get(base_type(f.type))
                if target_type is not None and target_type.kind in {Kind.INTERFACE, Kind.UNION}:
                    self.error(
                        "KEY_FIELDS_SELECT_INVALID_TYPE",
                        f'On type "{typedef.name}", for @key(fields: "{key.fields}"): field '
                        f'"{f.coordinate}" is an Interface or Union type which is not allowed in '
                        "@key",
                        typedef.name,
                    )
                if (key.of_extension or typedef.extends) and f.external:
                    self.meta.fake_external.add(f.coordinate)

    def analyse_field(self, typedef: TypeDef, f: Field) -> None:
        fed2 = self.subgraph.is_fed2
        if not fed2:
            self.drop_inactive_fed1(typedef, f)
        if f.requires is not None:
            owner = f'field "{f.coordinate}"'
            targets = self.targets(
                typedef.name, f.requires, "requires", owner, "REQUIRES_INVALID_FIELDS"
            )
            for target in targets or ():
                self.meta.used.add(target.field.coordinate)
                if fed2 and self.must_be_external(target):
                    self.missing_external("requires", f, f.requires, target)
        if f.provides is not None:
            target_type = self.subgraph.types.get(base_type(f.type))
            if target_type is None or target_type.kind not in _COMPOSITE:
                self.error(
                    "PROVIDES_ON_NON_OBJECT_FIELD",
                    f'Invalid @provides directive on field "{f.coordinate}": field has type '
                    f'"{f.type}" which is not a Composite Type',
                    f.coordinate,
                )
                return
            owner = f'field "{f.coordinate}"'
            targets = self.targets(
                target_type.name, f.provides, "provides", owner, "PROVIDES_INVALID_FIELDS"
            )
            for target in targets or ():
                self.meta.used.add(target.field.coordinate)
                self.meta.provided.add(target.field.coordinate)
                if self.meta.is_external(target.field):
                    self.meta.shareable.add(target.field.coordinate)
                elif fed2 and self.must_be_external(target):
                    self.missing_external("provides", f, f.provides, target)
                if target.has_args:
                    self.error(
                        "PROVIDES_FIELDS_HAS_ARGS",
                        f'On field "{f.coordinate}", for @provides(fields: "{f.provides}"): field '
                        f"{target.field.coordinate} cannot be included because it has arguments "
                        "(fields with argument are not allowed in @provides)",
                        f.coordinate,
                    )

    def drop_inactive_fed1(self, typedef: TypeDef, f: Field) -> None:
        """The fed1 upgrade drops @requires/@provides that select no external field."""
        for directive in ("requires", "provides"):
            fields = getattr(f, directive)
            parent = typedef.name if directive == "requires" else base_type(f.type)
            if fields is None or parent not in self.subgraph.types:
                continue
            try:
                targets = collect_targets(
                    self.subgraph, parent, fields, include_implementations=True
                )
            except FieldSetError:
                continue  # reported with its code by the regular analysis
            if not any(self.meta.is_external(t.field) for t in targets):
                setattr(f, directive, None)

    def missing_external(self, directive: str, f: Field, fields: str, target: Target) -> None:
        """A @requires/@provides selecting a field this subgraph resolves itself."""
        self.error(
            f"{directive.upper()}_FIELDS_MISSING_EXTERNAL",
            f'On field "{f.coordinate}", for @{directive}(fields: "{fields}"): field '
            f'"{target.field.coordinate}" should not be part of a @{directive} since it is '
            "already provided by this subgraph (it is not marked @external)",
            f.coordinate,
        )

    def must_be_external(self, target: Target) -> bool:
        """A selected leaf that is not external and has no external parent in the selection."""
        return (
            not target.expanded
            and self.is_leaf(target.field)
            and not self.meta.is_external(target.field)
            and not any(self.external_parent(a) for a in target.ancestors)
        )

    def external_parent(self, f: Field) -> bool:
        """External, or an interface field some implementation of which is external."""
        if self.meta.is_external(f):
            return True
        parent = self.subgraph.types[f.parent]
        if parent.kind is not Kind.INTERFACE:
            return False
        return any(
            t.fields.get(f.name) is not None and self.meta.is_external(t.fields[f.name])
            for t in self.subgraph.types.values()
            if f.parent in t.interfaces
        )

    def is_leaf(self, f: Field) -> bool:
        target = self.subgraph.types.get(base_type(f.type))
        return target is None or target.kind not in _COMPOSITE

    def check_unused_externals(self) -> None:
        for typedef in self.subgraph.types.values():
            for f in typedef.fields.values():
                if self.meta.is_external(f) and not self.meta.is_used(f):
                    self.error(
                        "EXTERNAL_UNUSED",
                        f'Field "{f.coordinate}" is marked @external but is not used in any '
                        "federation directive (@key, @provides, @requires) or to satisfy an "
                        "interface; the field declaration has no use and should be removed (or "
                        "the field should not be @external).",
                        f.coordinate,
                    )

    def drop_unused_fed1_externals(self) -> None:
        """Federation 1 tolerated unused ``@external`` fields; the fed2 upgrade removes them."""
        emptied = []
        for typedef in self.subgraph.types.values():
            if typedef.kind not in {Kind.OBJECT, Kind.INTERFACE} or not typedef.fields:
                continue
            for name, f in list(typedef.fields.items()):
                if self.meta.is_external(f) and not self.meta.is_used(f):
                    del typedef.fields[name]
                    self.meta.external.discard(f.coordinate)
            if not typedef.fields:
                emptied.append(typedef.name)
        for name in emptied:
            if self.is_referenced(name):
                self.error(
                    "TYPE_WITH_ONLY_UNUSED_EXTERNAL",
                    f"Type {name} contains only external fields and all those fields are all "
                    "unused (they do not appear in any @key, @provides or @requires).",
                    name,
                )
            else:
                del self.subgraph.types[name]

    def is_referenced(self, name: str) -> bool:
        """Whether any field, argument, union or interface list of the subgraph names ``name``."""
        for typedef in self.subgraph.types.values():
            if name in typedef.members or name in typedef.interfaces:
                return True
            for f in typedef.fields.values():
                if base_type(f.type) == name or any(
                    base_type(a.type) == name for a in f.args.values()
                ):
                    return True
        return False


def analyse_subgraph(subgraph: Subgraph) -> tuple[SubgraphMetadata, list[CompositionError]]:
    """Compute a subgraph's federation metadata and validate its federation directives."""
    analyser = _Analyser(subgraph)
    analyser.run()
    return analyser.meta, analyser.errors
