"""Merging argument lists, default values and field types across subgraphs (https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/composition#merging-types)."""

from __future__ import annotations

from collections.abc import Mapping

from graphql import ConstValueNode, print_ast

from router.composition.directives import merge_applied
from router.composition.fieldset import base_type
from router.composition.merge.context import MergeContext, describe
from router.composition.merged import MergedArgument, MergedField
from router.composition.model import Argument, DirectiveDef, Field, Kind
from router.composition.types import is_strict_subtype

__all__ = ["ArgumentMerging"]


class ArgumentMerging(MergeContext):
    """Arguments and types: intersect arguments, agree on defaults, take the most general type."""

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
            arg.description = describe([a.description for a in present])
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
