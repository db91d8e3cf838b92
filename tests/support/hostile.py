"""Hostile GraphQL documents for the limit tests (synthetic, generated)."""

from __future__ import annotations

__all__ = ["alias_flood", "fragment_bomb"]


def fragment_bomb(levels: int, *, on: str = "Query", leaf: str = "__typename") -> str:
    """``levels`` fragments, each spreading the next twice: ``2**(levels-1)`` leaves if expanded."""
    chain = " ".join(
        f"fragment F{i} on {on} {{ ...F{i + 1} ...F{i + 1} }}" for i in range(1, levels)
    )
    return f"query {{ ...F1 }} {chain} fragment F{levels} on {on} {{ {leaf} }}"


def alias_flood(count: int, field: str) -> str:
    """One query selecting ``field`` under ``count`` different aliases."""
    return "{ " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"
