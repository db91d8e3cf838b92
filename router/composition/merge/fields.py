"""Merging the fields of object and interface types, with their @join__field directives (https://specs.apollo.dev/join/v0.5#@join__field)."""

from __future__ import annotations

from collections.abc import Mapping

from router.composition.directives import merge_applied
from router.composition.merge.context import describe
from router.composition.merge.externals import ExternalRules
from router.composition.merge.override import OverrideState
from router.composition.merged import MergedField, MergedType
from router.composition.model import Field, Kind, TypeDef

__all__ = ["FieldMerging"]


class FieldMerging(ExternalRules):
    """Fields: merge each field over the subgraphs that define it, then say who resolves it."""

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

    def merge_fields(self, merged: MergedType, sources: Mapping[int, TypeDef]) -> None:
        for name, fsources in self.field_sources(merged, sources).items():
            dest = MergedField(name=name)
            merged.fields[name] = dest
            state = self.validate_override(merged, dest, fsources)
            self.merge_field(merged, dest, fsources, state)
            if merged.kind is Kind.OBJECT:
                self.validate_sharing(merged, dest, fsources, state)

    def merge_field(
        self,
        parent: MergedType,
        dest: MergedField,
        sources: dict[int, Field | None],
        state: OverrideState,
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
        dest.description = describe([f.description for f in present])
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

    def needs_join_field(
        self,
        parent: str,
        sources: Mapping[int, Field | None],
        all_equal: bool,
        state: OverrideState,
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
        state: OverrideState,
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
