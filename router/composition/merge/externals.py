"""@external fields must agree with the subgraphs that resolve them (https://specs.apollo.dev/federation/v2.0#@external)."""

from __future__ import annotations

from graphql import print_ast

from router.composition.merge.sharing import SharingRules
from router.composition.merged import MergedField
from router.composition.model import Field
from router.composition.types import is_strict_subtype

__all__ = ["ExternalRules"]


class ExternalRules(SharingRules):
    """@external: a field declared external must match the type of the field it stands for."""

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
