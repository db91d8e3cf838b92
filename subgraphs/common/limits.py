"""Operation limits measured on the fragment graph in linear time (OWASP GraphQL cheat sheet, DoS).

Each fragment definition is measured once, after the fragments it spreads (dynamic programming
over the fragment graph), so a document is never expanded: a "fragment bomb" of 25 fragments,
each spreading the next twice, costs 25 small steps to measure and is refused by its expanded
size of about 2**25 selections.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from subgraphs.common.errors import ErrorCode

__all__ = ["LIMIT_CODES", "OperationCost", "OperationLimits", "limit_errors", "measure"]

# Counts saturate here: expanded sizes of a bomb grow exponentially with its fragments.
_CAP = 1 << 62

LIMIT_CODES = frozenset(
    {
        ErrorCode.MAX_DEPTH_EXCEEDED,
        ErrorCode.MAX_ALIASES_EXCEEDED,
        ErrorCode.MAX_TOKENS_EXCEEDED,
        ErrorCode.MAX_ROOT_FIELDS_EXCEEDED,
        ErrorCode.MAX_DIRECTIVES_EXCEEDED,
        ErrorCode.OPERATION_TOO_COMPLEX,
    }
)


@dataclass(frozen=True, slots=True)
class OperationLimits:
    """What one GraphQL operation may cost (from :class:`~subgraphs.common.settings.ServiceSettings`)."""

    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 10_000
    max_root_fields: int = 30
    max_directives: int = 50
    max_selections: int = 1_000
    max_list_length: int = 10_000
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class OperationCost:
    """An operation's size as if every fragment were expanded in place.

    ``depth`` counts nested fields (a root field is depth 1; introspection fields count 0);
    ``aliases``, ``directives`` and ``selections`` (fields, inline fragments and fragment
    spreads, so that even a bomb of empty fragments has a size) count every occurrence after
    expansion; ``root_fields`` the root selection's fields.
    """

    depth: int = 0
    aliases: int = 0
    directives: int = 0
    selections: int = 0
    root_fields: int = 0

    def plus(self, other: OperationCost) -> OperationCost:
        """Both selections side by side (depth is the deeper one)."""
        return OperationCost(
            depth=max(self.depth, other.depth),
            aliases=min(self.aliases + other.aliases, _CAP),
            directives=min(self.directives + other.directives, _CAP),
            selections=min(self.selections + other.selections, _CAP),
            root_fields=min(self.root_fields + other.root_fields, _CAP),
        )


_EMPTY = OperationCost()


class _Measure:
    """Costs of the document's fragments, each computed once."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            node.name.value: node
            for node in document.definitions
            if isinstance(node, FragmentDefinitionNode)
        }
        self.costs: dict[str, OperationCost] = {}
        for name in self.fragments:
            self._fragment_in_order(name)

    def _fragment_in_order(self, start: str) -> None:
        # Post-order over the spreads, iteratively (a chain of fragments may be long); a spread
        # back into the chain (a cycle, refused by validation anyway) counts as empty.
        if start in self.costs:
            return
        stack: list[tuple[str, list[str]]] = [
            (start, _spreads(self.fragments[start].selection_set))
        ]
        on_path = {start}
        while stack:
            name, pending = stack[-1]
            while pending:
                child = pending.pop()
                if child in self.fragments and child not in self.costs and child not in on_path:
                    on_path.add(child)
                    stack.append((child, _spreads(self.fragments[child].selection_set)))
                    break
            else:
                stack.pop()
                on_path.discard(name)
                self.costs[name] = self.selection_set(self.fragments[name].selection_set)

    def selection_set(self, node: SelectionSetNode | None) -> OperationCost:
        total = _EMPTY
        if node is None:
            return total
        for selection in node.selections:
            directives = len(selection.directives or ())
            if isinstance(selection, FieldNode):
                inner = self.selection_set(selection.selection_set)
                cost = OperationCost(
                    # Introspection (``__schema``, ``__type``) is as deep as the type system
                    # asks; it does not count toward depth, only toward the other limits.
                    depth=0 if selection.name.value.startswith("__") else inner.depth + 1,
                    aliases=min(inner.aliases + (selection.alias is not None), _CAP),
                    directives=min(inner.directives + directives, _CAP),
                    selections=min(inner.selections + 1, _CAP),
                    root_fields=1,
                )
            elif isinstance(selection, InlineFragmentNode):
                cost = self.selection_set(selection.selection_set).plus(
                    OperationCost(directives=directives, selections=1)
                )
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                own = directives + len(fragment.directives or ()) if fragment else directives
                cost = self.costs.get(selection.name.value, _EMPTY).plus(
                    OperationCost(directives=own, selections=1)
                )
            else:  # pragma: no cover - graphql-core has no other selection kinds
                continue
            total = total.plus(cost)
        return total


def _spreads(node: SelectionSetNode | None) -> list[str]:
    names: list[str] = []
    pending = [node] if node is not None else []
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif (
                isinstance(selection, FieldNode | InlineFragmentNode)
                and selection.selection_set is not None
            ):
                pending.append(selection.selection_set)
    return names


def measure(document: DocumentNode) -> dict[str | None, OperationCost]:
    """Every operation's :class:`OperationCost` (keyed by name; an anonymous one by ``None``)."""
    measured = _Measure(document)
    costs: dict[str | None, OperationCost] = {}
    for node in document.definitions:
        if isinstance(node, OperationDefinitionNode):
            cost = measured.selection_set(node.selection_set).plus(
                OperationCost(directives=len(node.directives or ()))
            )
            name = node.name.value if node.name else None
            costs[name] = costs[name].plus(cost) if name in costs else cost
    return costs


def limit_errors(document: DocumentNode, limits: OperationLimits) -> list[GraphQLError]:
    """One error per limit that an operation of ``document`` exceeds (empty when within)."""
    errors: list[GraphQLError] = []
    for name, cost in measure(document).items():
        what = f"Operation '{name}'" if name else "The operation"
        checks = (
            (cost.depth, limits.max_depth, ErrorCode.MAX_DEPTH_EXCEEDED, "is nested deeper"),
            (cost.aliases, limits.max_aliases, ErrorCode.MAX_ALIASES_EXCEEDED, "has more aliases"),
            (
                cost.root_fields,
                limits.max_root_fields,
                ErrorCode.MAX_ROOT_FIELDS_EXCEEDED,
                "has more root fields",
            ),
            (
                cost.directives,
                limits.max_directives,
                ErrorCode.MAX_DIRECTIVES_EXCEEDED,
                "has more directives",
            ),
            (
                cost.selections,
                limits.max_selections,
                ErrorCode.OPERATION_TOO_COMPLEX,
                "has more selections (fields and fragments, expanded)",
            ),
        )
        for value, limit, code, message in checks:
            if value > limit:
                errors.append(
                    GraphQLError(
                        f"{what} {message} than the {limit} allowed.",
                        extensions={"code": code.value, "limit": limit},
                    )
                )
    return errors
