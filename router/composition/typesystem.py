"""GraphQL type-system rules every subgraph must follow (https://spec.graphql.org/October2021/#sec-Type-System)."""

from __future__ import annotations

from router.composition.errors import CompositionError
from router.composition.fieldset import base_type
from router.composition.model import Kind, Subgraph, TypeDef
from router.composition.types import is_subtype

__all__ = ["validate_type_system"]

_BUILTIN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
_OUTPUT = frozenset({Kind.OBJECT, Kind.INTERFACE, Kind.UNION, Kind.ENUM, Kind.SCALAR})
_INPUT = frozenset({Kind.INPUT_OBJECT, Kind.ENUM, Kind.SCALAR})
_CLASS_NAMES = {
    Kind.OBJECT: "ObjectType",
    Kind.INTERFACE: "InterfaceType",
    Kind.UNION: "UnionType",
    Kind.ENUM: "EnumType",
    Kind.INPUT_OBJECT: "InputObjectType",
    Kind.SCALAR: "ScalarType",
}


class _Validator:
    def __init__(self, subgraph: Subgraph) -> None:
        self.subgraph = subgraph
        self.errors: list[CompositionError] = []

    def error(self, message: str, coordinate: str) -> None:
        name = self.subgraph.name
        self.errors.append(
            CompositionError("INVALID_GRAPHQL", f"[{name}] {message}", name, coordinate)
        )

    def kind(self, name: str) -> Kind | None:
        if name in _BUILTIN_SCALARS:
            return Kind.SCALAR
        typedef = self.subgraph.types.get(name)
        return typedef.kind if typedef else None

    def is_possible(self, abstract: str, member: str) -> bool:
        typedef = self.subgraph.types.get(abstract)
        implementer = self.subgraph.types.get(member)
        if typedef is None or implementer is None:
            return False
        if typedef.kind is Kind.UNION:
            return member in typedef.members
        return abstract in implementer.interfaces

    def run(self) -> None:
        for typedef in self.subgraph.types.values():
            self.check_positions(typedef)
            if typedef.kind is Kind.UNION:
                for member in typedef.members:
                    kind = self.kind(member)
                    if kind is not None and kind is not Kind.OBJECT:
                        self.error(
                            f"Cannot add non-object type {member} (of type {_CLASS_NAMES[kind]}) "
                            f"as member of union type {typedef.name}",
                            typedef.name,
                        )
            for itf in typedef.interfaces:
                self.check_implementation(typedef, itf)

    def check_positions(self, typedef: TypeDef) -> None:
        for f in typedef.fields.values():
            coordinate = f.coordinate
            kind = self.kind(base_type(f.type))
            if typedef.kind is Kind.INPUT_OBJECT:
                if kind is not None and kind not in _INPUT:
                    self.wrong_position(coordinate, "Input", f.type, kind)
                continue
            if kind is not None and kind not in _OUTPUT:
                self.wrong_position(coordinate, "Output", f.type, kind)
            for arg in f.args.values():
                arg_kind = self.kind(base_type(arg.type))
                if arg_kind is not None and arg_kind not in _INPUT:
                    self.wrong_position(f"{coordinate}({arg.name}:)", "Input", arg.type, arg_kind)

    def wrong_position(self, coordinate: str, expected: str, type_ref: str, kind: Kind) -> None:
        self.error(
            f'The type of "{coordinate}" must be {expected} Type but got "{type_ref}", a '
            f"{_CLASS_NAMES[kind]}.",
            coordinate,
        )

    def check_implementation(self, typedef: TypeDef, itf: str) -> None:
        interface = self.subgraph.types.get(itf)
        if interface is None:
            return  # reported as an unknown type
        if interface.kind is not Kind.INTERFACE or interface.interface_object:
            self.error(
                f"Cannot implement non-interface type {itf} (of type "
                f"{_CLASS_NAMES[interface.kind]})",
                typedef.name,
            )
            return
        for name, expected in interface.fields.items():
            actual = typedef.fields.get(name)
            coordinate = f"{typedef.name}.{name}"
            if actual is None:
                self.error(
                    f"Interface field {itf}.{name} expected but {typedef.name} does not provide "
                    "it.",
                    coordinate,
                )
                continue
            if not is_subtype(expected.type, actual.type, self.is_possible):
                self.error(
                    f"Interface field {itf}.{name} expects type {expected.type} but "
                    f"{coordinate} of type {actual.type} is not a proper subtype.",
                    coordinate,
                )
            for arg_name, arg in expected.args.items():
                mine = actual.args.get(arg_name)
                if mine is None:
                    self.error(
                        f"Interface field argument {itf}.{name}({arg_name}:) expected but "
                        f"{coordinate} does not provide it.",
                        coordinate,
                    )
                elif mine.type != arg.type:
                    self.error(
                        f"Interface field argument {itf}.{name}({arg_name}:) expects type "
                        f"{arg.type} but {coordinate}({arg_name}:) is type {mine.type}.",
                        coordinate,
                    )


def validate_type_system(subgraph: Subgraph) -> list[CompositionError]:
    """Union members, interface implementations and input/output positions of one subgraph."""
    validator = _Validator(subgraph)
    validator.run()
    return validator.errors
