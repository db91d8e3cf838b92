"""Print subgraph operations (GraphQL spec section 2 syntax; Apollo Federation `_entities`)."""

from __future__ import annotations

from graphql import ArgumentNode, VariableDefinitionNode, VariableNode, print_ast, visit
from graphql.language import Visitor

from router.planner.operation import Field, InlineFragment, Selection

__all__ = ["print_subgraph_operation"]


class _Variables(Visitor):
    def __init__(self, found: list[str]) -> None:
        super().__init__()
        self.found = found

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        if node.name.value not in self.found:
            self.found.append(node.name.value)


def _arguments(arguments: tuple[ArgumentNode, ...], used: list[str]) -> str:
    if not arguments:
        return ""
    parts = []
    for argument in arguments:
        visit(argument.value, _Variables(used))
        parts.append(f"{argument.name.value}:{print_ast(argument.value)}")
    return "(" + ",".join(parts) + ")"


def _print(selections: list[Selection], used: list[str]) -> str:
    parts: list[str] = []
    for selection in selections:
        if isinstance(selection, Field):
            text = (f"{selection.alias}:" if selection.alias else "") + selection.name
            text += _arguments(selection.arguments, used)
            if selection.selections is not None:
                text += "{" + _print(selection.selections, used) + "}"
            parts.append(text)
        elif isinstance(selection, InlineFragment):
            condition = f" on {selection.type_condition}" if selection.type_condition else ""
            parts.append(f"...{condition}{{{_print(selection.selections, used)}}}")
    return " ".join(parts)


def print_subgraph_operation(
    kind: str,
    selections: list[Selection],
    variable_definitions: dict[str, VariableDefinitionNode],
    *,
    entities: bool = False,
    name: str | None = None,
) -> tuple[str, tuple[str, ...]]:
    """Render a subgraph operation and the client variables it uses."""
    used: list[str] = []
    body = _print(selections, used)
    definitions = []
    if entities:
        definitions.append("$representations:[_Any!]!")
        body = f"_entities(representations:$representations){{{body}}}"
    for variable in used:
        definition = variable_definitions.get(variable)
        if definition is None:
            continue
        text = f"${variable}:{print_ast(definition.type)}"
        if definition.default_value is not None:
            text += f"={print_ast(definition.default_value)}"
        definitions.append(text)
    header = kind
    if name:
        header += f" {name}"
    if definitions:
        header += "(" + ",".join(definitions) + ")"
    return f"{header}{{{body}}}", tuple(v for v in used if v in variable_definitions)
