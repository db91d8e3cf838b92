"""Hostile GraphQL documents for the limit tests: operations built to exhaust a GraphQL server.

Synthetic and generated (issue 9's measurements); the router's and the subgraphs' tests share them.
"""

from __future__ import annotations

__all__ = ["aliases", "chain", "fragment_bomb"]


def fragment_bomb(
    levels: int, leaf: str = "__typename", on: str = "Query", root: str = "query"
) -> str:
    """``levels`` fragments, each spreading the next twice: ``2**(levels-1)`` leaves if expanded."""
    fragments = [f"fragment F{i} on {on} {{ ...F{i + 1} ...F{i + 1} }}" for i in range(1, levels)]
    fragments.append(f"fragment F{levels} on {on} {{ {leaf} }}")
    return f"{root} {{ ...F1 }} " + " ".join(fragments)


def aliases(count: int, field: str) -> str:
    """One query selecting ``field`` at the root under ``count`` different aliases."""
    return "query { " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"


def chain(levels: int, fields: tuple[str, str], leaf: str, root_field: str) -> str:
    """``root_field { f0 { f1 { f0 ... { leaf } } } }``: ``levels`` fields below the root field."""
    text = leaf
    for level in reversed(range(levels)):
        text = f"{fields[level % 2]} {{ {text} }}"
    return f"query {{ {root_field} {{ {text} }} }}"
