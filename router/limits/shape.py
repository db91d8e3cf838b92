"""Measure an operation as if its fragments were expanded, in time linear in the document.

Each fragment is summarised once (dynamic programming over the fragment graph, in dependency
order), and a spread adds its fragment's summary: a fragment spread twice per level for 25
levels (2**25 selections once expanded) is measured in 25 steps. Unknown fragments and spreads
that close a cycle count nothing; validation reports them. The router and every subgraph
measure operations with this module (OWASP GraphQL cheat sheet, denial of service).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

__all__ = ["OperationShape", "fragment_shapes", "measure_operation"]


@dataclass(frozen=True, slots=True)
class OperationShape:
    """Counts over the expanded operation (Python ints: exact however large).

    ``selections`` counts fields, inline fragments and fragment spreads, so that even a bomb of
    empty fragments (which validation would still walk 2**n times) has a size. ``depth`` counts
    nested fields, a root field at depth 1; introspection fields (``__schema``, ``__type``,
    ``__typename``) and what they select count 0, since the type system decides how deep a
    client such as GraphiQL must go (they still count toward every other limit).
    """

    depth: int = 0
    selections: int = 0
    aliases: int = 0
    directives: int = 0
    root_fields: int = 0  # fields of the measured selection set itself, fragments included
    field_directives: int = 0  # most directives on one field, fragment, spread or operation

    def spread(self, directives: int) -> OperationShape:
        """This shape seen through a fragment (its directives added): same level."""
        return OperationShape(
            self.depth,
            self.selections,
            self.aliases,
            self.directives + directives,
            self.root_fields,
            max(self.field_directives, directives),
        )


_EMPTY = OperationShape()


def _spreads(selection_set: SelectionSetNode) -> Iterator[str]:
    """Names of the fragments spread anywhere in a selection set (parser-bounded nesting)."""
    for node in selection_set.selections:
        if isinstance(node, FragmentSpreadNode):
            yield node.name.value
        elif isinstance(node, FieldNode | InlineFragmentNode) and node.selection_set is not None:
            yield from _spreads(node.selection_set)


def _measure(
    selection_set: SelectionSetNode, fragments: dict[str, OperationShape]
) -> OperationShape:
    depth = selections = aliases = directives = root_fields = most = 0
    for node in selection_set.selections:
        selections += 1
        own = len(node.directives or ())
        directives += own
        most = max(most, own)
        if isinstance(node, FieldNode):
            root_fields += 1
            if node.alias is not None:
                aliases += 1
            inner = _measure(node.selection_set, fragments) if node.selection_set else _EMPTY
            if not node.name.value.startswith("__"):
                depth = max(depth, inner.depth + 1)
            selections += inner.selections
            aliases += inner.aliases
            directives += inner.directives
            most = max(most, inner.field_directives)
            continue
        if isinstance(node, InlineFragmentNode):
            inner = _measure(node.selection_set, fragments)
        else:
            assert isinstance(node, FragmentSpreadNode)
            inner = fragments.get(node.name.value, _EMPTY)
        depth = max(depth, inner.depth)
        selections += inner.selections
        aliases += inner.aliases
        directives += inner.directives
        root_fields += inner.root_fields
        most = max(most, inner.field_directives)
    return OperationShape(depth, selections, aliases, directives, root_fields, most)


def _dependency_order(
    definitions: dict[str, FragmentDefinitionNode], roots: list[str]
) -> list[str]:
    """Fragments reachable from `roots`, each after the fragments it spreads (no recursion)."""
    order: list[str] = []
    done: set[str] = set()
    for root in roots:
        if root in done or root not in definitions:
            continue
        stack = [(root, iter(_spreads(definitions[root].selection_set)))]
        on_stack = {root}
        while stack:
            name, pending = stack[-1]
            for spread in pending:
                if spread in definitions and spread not in done and spread not in on_stack:
                    stack.append((spread, iter(_spreads(definitions[spread].selection_set))))
                    on_stack.add(spread)
                    break
            else:
                stack.pop()
                on_stack.discard(name)
                done.add(name)
                order.append(name)
    return order


def fragment_shapes(document: DocumentNode) -> dict[str, OperationShape]:
    """Every fragment of `document`, measured once, as if its own spreads were expanded."""
    definitions = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    shapes: dict[str, OperationShape] = {}
    for name in _dependency_order(definitions, list(definitions)):
        fragment = definitions[name]
        shapes[name] = _measure(fragment.selection_set, shapes).spread(
            len(fragment.directives or ())
        )
    return shapes


def measure_operation(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    fragments: dict[str, OperationShape] | None = None,
) -> OperationShape:
    """The shape `operation` would have once every fragment it uses is expanded.

    `fragments` (from `fragment_shapes`) saves measuring them again for each operation.
    """
    if fragments is None:
        fragments = fragment_shapes(document)
    shape = _measure(operation.selection_set, fragments)
    return shape.spread(len(operation.directives or ()))
