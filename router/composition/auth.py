"""Check that @requires does not leak data guarded by stronger access control (https://www.apollographql.com/docs/graphos/routing/security/authorization#composition-and-federation)."""

from __future__ import annotations

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from router.composition.directives import dnf_conjunction
from router.composition.errors import CompositionError
from router.composition.fieldset import FieldSetError, base_type, parse_field_set
from router.composition.merged import Auth, Supergraph
from router.composition.model import Subgraph

__all__ = ["check_transitive_auth", "implies"]


def _implies_dnf(first: list[list[str]] | None, second: list[list[str]] | None) -> bool:
    """Every alternative of ``first`` contains some alternative of ``second``."""
    left = first or [[]]
    right = second or [[]]
    return all(any(set(r) <= set(alt) for r in right) for alt in left)


def implies(held: Auth, needed: Auth) -> bool:
    """Whether satisfying ``held`` always satisfies ``needed``."""
    return (
        (held.authenticated or not needed.authenticated)
        and _implies_dnf(held.scopes, needed.scopes)
        and _implies_dnf(held.policies, needed.policies)
    )


def _combine(type_auth: Auth, field_auth: Auth) -> Auth:
    scopes = [s for s in (type_auth.scopes, field_auth.scopes) if s is not None]
    policies = [p for p in (type_auth.policies, field_auth.policies) if p is not None]
    return Auth(
        authenticated=type_auth.authenticated or field_auth.authenticated,
        scopes=dnf_conjunction(scopes) if scopes else None,
        policies=dnf_conjunction(policies) if policies else None,
    )


class _LeakError(Exception):
    """A selection reaches data needing more than the requiring field demands."""


def _walk(
    supergraph: Supergraph, parent: str, selections: SelectionSetNode, held: Auth, owner: str
) -> None:
    merged = supergraph.types[parent]
    for selection in selections.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else parent
            target = supergraph.types.get(condition)
            if target is not None and not implies(held, target.auth):
                raise _LeakError(
                    f'Field "{owner}" does not specify necessary @authenticated, @requiresScopes '
                    "and/or @policy auth requirements to access the transitive data in inline "
                    f'fragment type condition "{condition}" from @requires selection set.'
                )
            _walk(supergraph, condition, selection.selection_set, held, owner)
            continue
        if not isinstance(selection, FieldNode) or selection.name.value == "__typename":
            continue
        field = merged.fields.get(selection.name.value)
        if field is None:
            continue
        returned = supergraph.types.get(base_type(field.type))
        if not implies(held, field.auth) or (
            returned is not None and not implies(held, returned.auth)
        ):
            raise _LeakError(
                f'Field "{owner}" does not specify necessary @authenticated, @requiresScopes '
                f"and/or @policy auth requirements to access the transitive field "
                f'"{parent}.{field.name}" data from @requires selection set.'
            )
        if selection.selection_set is not None:
            _walk(supergraph, base_type(field.type), selection.selection_set, held, owner)


def check_transitive_auth(
    supergraph: Supergraph, subgraphs: list[Subgraph]
) -> list[CompositionError]:
    """MISSING_TRANSITIVE_AUTH_REQUIREMENTS: a @requires field must demand what it reads."""
    if not {"authenticated", "requiresScopes", "policy"} & set(supergraph.features):
        return []
    errors = []
    for subgraph in subgraphs:
        for typedef in subgraph.types.values():
            merged = supergraph.types.get(typedef.name)
            if merged is None:
                continue
            for f in typedef.fields.values():
                if f.requires is None or f.name not in merged.fields:
                    continue
                held = _combine(merged.auth, merged.fields[f.name].auth)
                try:
                    _walk(supergraph, typedef.name, parse_field_set(f.requires), held, f.coordinate)
                except FieldSetError:
                    continue
                except _LeakError as leak:
                    errors.append(
                        CompositionError(
                            "MISSING_TRANSITIVE_AUTH_REQUIREMENTS",
                            f"[{subgraph.name}] {leak}",
                            subgraph.name,
                            f.coordinate,
                        )
                    )
    return errors
