"""Post-merge @inaccessible rules (https://specs.apollo.dev/inaccessible/v0.2)."""

from __future__ import annotations

from router.composition.errors import CompositionError
from router.composition.fieldset import base_type
from router.composition.merged import MergedArgument, MergedDirective, MergedField, MergedType
from router.composition.model import Kind

__all__ = ["validate_inaccessible"]


def _required(arg: MergedArgument | MergedField) -> bool:
    return arg.type.endswith("!") and arg.default is None


def validate_inaccessible(types: dict[str, MergedType]) -> list[CompositionError]:
    """Hidden types must not be referenced; required inputs and whole types must stay visible."""
    errors: list[CompositionError] = []

    def error(code: str, message: str, coordinate: str) -> None:
        errors.append(CompositionError(code, message, None, coordinate))

    def hidden(directives: list[MergedDirective]) -> bool:
        return any(d.name == "inaccessible" for d in directives)

    hidden_types = {n for n, t in types.items() if hidden(t.directives)}
    for merged in types.values():
        if merged.name in hidden_types:
            continue
        visible = [f for f in merged.fields.values() if not hidden(f.directives)]
        composite = merged.kind in {Kind.OBJECT, Kind.INTERFACE, Kind.INPUT_OBJECT}
        if composite and not visible and merged.fields:
            error(
                "ONLY_INACCESSIBLE_CHILDREN",
                f'Type "{merged.name}" is in the API schema but all of its fields are '
                "@inaccessible.",
                merged.name,
            )
        for f in visible:
            coordinate = f"{merged.name}.{f.name}"
            if base_type(f.type) in hidden_types:
                error(
                    "REFERENCED_INACCESSIBLE",
                    f'Type "{base_type(f.type)}" is @inaccessible but is referenced by '
                    f'"{coordinate}", which is in the API schema.',
                    coordinate,
                )
            for arg in f.args.values():
                arg_coordinate = f"{coordinate}({arg.name}:)"
                if hidden(arg.directives) and _required(arg):
                    error(
                        "REQUIRED_INACCESSIBLE",
                        f'Argument "{arg_coordinate}" is @inaccessible but is a required '
                        "argument of its field.",
                        arg_coordinate,
                    )
                elif not hidden(arg.directives) and base_type(arg.type) in hidden_types:
                    error(
                        "REFERENCED_INACCESSIBLE",
                        f'Type "{base_type(arg.type)}" is @inaccessible but is referenced by '
                        f'"{arg_coordinate}", which is in the API schema.',
                        arg_coordinate,
                    )
            if merged.kind is Kind.INPUT_OBJECT and hidden(f.directives) and _required(f):
                error(
                    "REQUIRED_INACCESSIBLE",
                    f'Input field "{coordinate}" is @inaccessible but is a required input '
                    "field of its type.",
                    coordinate,
                )
    for operation in ("Query",):
        if operation in hidden_types:
            error(
                "QUERY_ROOT_TYPE_INACCESSIBLE",
                f'Type "{operation}" is @inaccessible but is the query root type, which must '
                "be in the API schema.",
                operation,
            )

    return errors
