"""Response paths (GraphQL spec 7.1.2 `path`) kept as linked `(parent, key)` pairs.

Building a pair per step is cheap; the list a client sees is made only when an error needs it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["LinkedPath", "path_list"]

# (parent path, key), or None for the root; the parent is itself a LinkedPath
LinkedPath = tuple[Any, str | int] | None


def path_list(path: LinkedPath) -> list[str | int]:
    """The keys from the root down to `path`."""
    keys: list[str | int] = []
    while path is not None:
        path, key = path
        keys.append(key)
    keys.reverse()
    return keys
