"""Enums and input types: union, intersection or equality depending on use (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition#merging-types)."""

from __future__ import annotations

from collections.abc import Mapping

from router.composition.directives import merge_applied
from router.composition.merge.context import describe
from router.composition.merge.fields import FieldMerging
from router.composition.merge.override import OverrideState
from router.composition.merged import MergedEnumValue, MergedField, MergedType
from router.composition.model import EnumValue, Field, TypeDef

__all__ = ["EnumInputMerging"]


class EnumInputMerging(FieldMerging):
    """Enums (by usage: input, output or both) and input objects (intersection of fields)."""

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
            value.description = describe([v.description for v in present])
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
            dest.description = describe([f.description for f in present])
            dest.directives, _ = merge_applied((f.applied for f in present), self.used)
            all_equal = self.merge_type_ref(coordinate, dest, fsources, input_position=True)
            self.add_join_fields(merged.name, dest, fsources, all_equal, OverrideState())
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
