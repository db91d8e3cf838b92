"""Type-reference algebra for field type merging: sameness and subtyping (https://spec.graphql.org/October2021/#sec-Objects.Type-Validation)."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["is_strict_subtype", "is_subtype"]


def _unwrap(type_ref: str) -> tuple[str, str]:
    """Split the outermost wrapper: ``("!", inner)``, ``("[]", inner)`` or ``("", name)``."""
    if type_ref.endswith("!"):
        return "!", type_ref[:-1]
    if type_ref.startswith("["):
        return "[]", type_ref[1:-1]
    return "", type_ref


def is_subtype(  # noqa: PLR0911 -- one return per wrapping case of the subtyping rules
    general: str, specific: str, is_possible: Callable[[str, str], bool]
) -> bool:
    """Whether ``specific`` may stand where ``general`` is expected (Apollo's default rules).

    ``is_possible(abstract, member)`` tells whether object ``member`` implements interface or
    belongs to union ``abstract`` in the supergraph.
    """
    if general == specific:
        return True
    s_wrap, s_inner = _unwrap(specific)
    g_wrap, g_inner = _unwrap(general)
    if s_wrap == "!":
        if g_wrap == "!":
            return is_subtype(g_inner, s_inner, is_possible)
        return is_subtype(general, s_inner, is_possible)
    if g_wrap == "!":
        return False
    if s_wrap == "[]" and g_wrap == "[]":
        return is_subtype(g_inner, s_inner, is_possible)
    if s_wrap == "" and g_wrap == "":
        return is_possible(general, specific)
    return False


def is_strict_subtype(general: str, specific: str, is_possible: Callable[[str, str], bool]) -> bool:
    """A subtype that is not the same type."""
    return general != specific and is_subtype(general, specific, is_possible)
