"""Print a composed supergraph in the layout @apollo/composition uses (https://specs.apollo.dev/join/v0.5)."""

from __future__ import annotations

from graphql import print_ast
from graphql.language.block_string import print_block_string

from router.composition.directives import print_string
from router.composition.merged import (
    MergedArgument,
    MergedDirective,
    MergedField,
    MergedType,
    Supergraph,
)
from router.composition.model import Kind
from router.composition.specs import LINK_URL, LINK_V1_DEFINITIONS, feature_specs

__all__ = ["print_supergraph"]

_KEYWORDS = {
    Kind.OBJECT: "type",
    Kind.INTERFACE: "interface",
    Kind.UNION: "union",
    Kind.ENUM: "enum",
    Kind.INPUT_OBJECT: "input",
    Kind.SCALAR: "scalar",
}


def _directive(directive: MergedDirective, names: dict[str, str]) -> str:
    name = names.get(directive.name, directive.name)
    if not directive.args:
        return f"@{name}"
    return f"@{name}(" + ", ".join(f"{k}: {v}" for k, v in directive.args) + ")"


_TYPE_ORDER = {"join__implements": 0, "join__type": 1, "join__unionMember": 2}


def _type_directives(directives: list[MergedDirective]) -> list[MergedDirective]:
    """Apollo's order on types: implements, type, union members, then carried directives."""
    return sorted(directives, key=lambda d: _TYPE_ORDER.get(d.name, 3))


def _element_rank(directive: MergedDirective) -> int:
    if directive.name == "inaccessible":
        return 0
    if directive.name == "join__field" and not directive.args:
        return 3  # the bare marker on fields an @interfaceObject adds comes last
    return 1 if directive.name.startswith("join__") else 2


def _element_directives(directives: list[MergedDirective]) -> list[MergedDirective]:
    """Apollo's order on fields and values: @inaccessible, join directives, then the others."""
    return sorted(directives, key=_element_rank)


def _description(text: str | None, indent: str) -> str:
    if text is None:
        return ""
    block = print_block_string(text)
    return "\n".join(indent + line if line else line for line in block.split("\n")) + "\n"


def _arguments(args: dict[str, MergedArgument], indent: str, names: dict[str, str]) -> str:
    if not args:
        return ""
    parts = []
    for arg in args.values():
        text = f"{arg.name}: {arg.type}"
        if arg.default is not None:
            text += f" = {print_ast(arg.default)}"
        text += "".join(f" {_directive(d, names)}" for d in _element_directives(arg.directives))
        parts.append((arg.description, text))
    if all(description is None for description, _ in parts):
        return "(" + ", ".join(text for _, text in parts) + ")"
    inner = indent + "  "
    lines = [_description(description, inner) + inner + text for description, text in parts]
    return "(\n" + "\n".join(lines) + "\n" + indent + ")"


def _field(f: MergedField, names: dict[str, str]) -> str:
    text = (
        _description(f.description, "  ") + f"  {f.name}{_arguments(f.args, '  ', names)}: {f.type}"
    )
    if f.default is not None:
        text += f" = {print_ast(f.default)}"
    return text + "".join(f" {_directive(d, names)}" for d in _element_directives(f.directives))


def _type(merged: MergedType, names: dict[str, str]) -> str:
    head = _description(merged.description, "") + f"{_KEYWORDS[merged.kind]} {merged.name}"
    if merged.interfaces:
        head += " implements " + " & ".join(merged.interfaces)
    directives = "".join(f"\n  {_directive(d, names)}" for d in _type_directives(merged.directives))
    if merged.kind is Kind.SCALAR:
        return head + directives
    if merged.kind is Kind.UNION:
        members = f" = {' | '.join(merged.members)}" if merged.members else ""
        return head + directives + ("\n" if directives and members else "") + members
    if merged.kind is Kind.ENUM:
        body = [
            _description(v.description, "  ")
            + f"  {v.name}"
            + "".join(f" {_directive(d, names)}" for d in _element_directives(v.directives))
            for v in merged.values.values()
        ]
    else:
        body = [_field(f, names) for f in merged.fields.values()]
    opening = directives + "\n{" if directives else " {"
    # A described entry is set apart by a blank line, as graphql-js prints it.
    spaced = [
        ("\n" if i and entry.lstrip().startswith('"') else "") + entry
        for i, entry in enumerate(body)
    ]
    return head + opening + "\n" + "\n".join(spaced) + "\n}"


def _schema(supergraph: Supergraph) -> str:
    specs = feature_specs()
    links = [
        f'@link(url: "{LINK_URL}")',
        f'@link(url: "{supergraph.join.url}", for: EXECUTION)',
    ]
    for name in supergraph.features:
        spec = specs[name]
        purpose = f", for: {spec.purpose}" if spec.purpose else ""
        local = supergraph.feature_names.get(name, name)
        renamed = f', import: [{{name: "@{name}", as: "@{local}"}}]' if local != name else ""
        if name == "cost" and supergraph.feature_names.get("listSize") == "listSize":
            renamed = ', import: ["@listSize"]'
        links.append(f'@link(url: "{spec.url}"{purpose}{renamed})')
    for url, imports in supergraph.composed_links:
        names = ", ".join(print_string(i) for i in imports)
        links.append(f'@link(url: "{url}", import: [{names}])')
    roots = "".join(f"  {op}: {name}\n" for op, name in supergraph.root_types.items())
    return "schema\n" + "".join(f"  {link}\n" for link in links) + "{\n" + roots + "}"


def _graph_enum(supergraph: Supergraph) -> str:
    values = [
        f"  {value} @join__graph(name: {print_string(name)}, url: {print_string(url)})"
        for value, name, url in supergraph.graphs
    ]
    return "enum join__Graph {\n" + "\n".join(values) + "\n}"


def print_supergraph(supergraph: Supergraph) -> str:
    """The supergraph SDL: schema, then directive definitions, then types, each sorted by name."""
    blocks: list[tuple[int, str, str]] = []
    machinery = supergraph.join.definitions() + "\n" + LINK_V1_DEFINITIONS
    specs = feature_specs()
    for name in supergraph.features:
        local = supergraph.feature_names.get(name, name)
        definitions = specs[name].definitions.replace(f"@{name}", f"@{local}", 1)
        if name == "cost":
            list_size = supergraph.feature_names.get("listSize", "listSize")
            definitions = definitions.replace("@listSize", f"@{list_size}")
        machinery += "\n" + definitions
    for block in machinery.strip().split("\n\n"):
        if block.startswith("directive"):
            blocks.append((0, block.split("@", 1)[1].split("(")[0].split(" ")[0], block))
        elif block.startswith("  "):  # a described enum value continues the previous block
            rank, name, previous = blocks.pop()
            blocks.append((rank, name, previous + "\n\n" + block))
        else:
            blocks.append((1, block.split(" ")[1], block))
    blocks += [(0, d.name.value, print_ast(d)) for d in supergraph.composed_definitions]
    blocks += [
        (
            0,
            d.name,
            _description(d.description, "")
            + f"directive @{d.name}{_arguments(d.args, '', supergraph.feature_names)}"
            + (" repeatable" if d.repeatable else "")
            + f" on {' | '.join(d.locations)}",
        )
        for d in supergraph.executable_directives
    ]
    blocks.append((1, "join__Graph", _graph_enum(supergraph)))
    blocks += [(1, t.name, _type(t, supergraph.feature_names)) for t in supergraph.types.values()]
    blocks.sort(key=lambda b: (b[0], b[1].lower(), b[1]))
    return _schema(supergraph) + "\n\n" + "\n\n".join(b[2] for b in blocks) + "\n"
