"""The maxima for one operation (GraphQL Armor / Apollo Router style), for router and subgraphs."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OperationLimits"]


@dataclass(frozen=True, slots=True)
class OperationLimits:
    """Maxima an operation must stay within before it is validated and planned.

    Every count is taken over the operation as it would be once its fragments are expanded
    (a fragment spread twice counts twice), computed without expanding them.
    """

    # lexical tokens of the whole document, comments included (Apollo Router: 15,000)
    max_tokens: int = 15_000
    # deepest field, a root field being at depth 1; introspection fields count 0 (GraphiQL's
    # introspection query passes any depth limit)
    max_depth: int = 15
    # aliased fields (OWASP: aliases batch guesses, e.g. of MFA codes, into one request)
    max_aliases: int = 30
    # fields of the root selection set, fragments included
    max_root_fields: int = 20
    # directives, on fields, fragments and spreads (GraphQL Armor: 50)
    max_directives: int = 50
    # directives on one field, fragment or spread (a repeatable directive applied many times)
    max_directives_per_field: int = 5
    # selections (fields, inline fragments, spreads) once every fragment is expanded: a fragment
    # "bomb" goes over without being expanded
    max_selections: int = 2_000
