"""Migrating fields between subgraphs with @override and progressive labels (https://specs.apollo.dev/federation/v2.7#@override)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from router.composition.merge.arguments import ArgumentMerging
from router.composition.merged import MergedField, MergedType
from router.composition.model import Field, Kind

__all__ = ["OverrideRules", "OverrideState"]

_LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")

_PERCENT = re.compile(r"^percent\((\d{1,2}(\.\d{1,8})?|100)\)$")


@dataclass(slots=True)
class OverrideState:
    """Per-field override outcome (https://specs.apollo.dev/federation/v2.7#@override)."""

    used_overridden: set[int] = field(default_factory=set)
    unused_overridden: set[int] = field(default_factory=set)
    unknown_target: set[int] = field(default_factory=set)
    labels: dict[int, str] = field(default_factory=dict)

    def overridden(self, idx: int) -> bool:
        return idx in self.used_overridden or idx in self.unused_overridden


class OverrideRules(ArgumentMerging):
    """@override: which subgraph resolves a field, with or without a progressive label."""

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

    def validate_override(
        self, parent: MergedType, dest: MergedField, sources: dict[int, Field | None]
    ) -> OverrideState:
        state = OverrideState()
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
        state: OverrideState,
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
