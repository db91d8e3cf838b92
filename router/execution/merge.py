"""Merge subgraph results into the response tree (Apollo Federation entity merging)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["deep_merge", "unalias", "walk_path"]


def deep_merge(
    target: dict[str, Any], source: dict[str, Any], is_abstract: Callable[[str], bool]
) -> None:
    """Merge `source` into `target`; an abstract `__typename` never replaces a concrete one."""
    for key, value in source.items():
        existing = target.get(key)
        if key == "__typename" and existing is not None and isinstance(value, str):
            if is_abstract(value):
                continue
            target[key] = value
        elif isinstance(existing, dict) and isinstance(value, dict):
            deep_merge(existing, value, is_abstract)
        elif isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
            for index, item in enumerate(value):
                if isinstance(existing[index], dict) and isinstance(item, dict):
                    deep_merge(existing[index], item, is_abstract)
                else:
                    existing[index] = item
        else:
            target[key] = value


def walk_path(
    value: Any, path: tuple[str, ...], prefix: tuple[str | int, ...] = ()
) -> Iterator[tuple[dict[str, Any], tuple[str | int, ...]]]:
    """Yield every object at a plan path (`@` steps into lists), with its response path."""
    if value is None:
        return
    if not path:
        if isinstance(value, dict):
            yield value, prefix
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk_path(item, path, (*prefix, index))
        return
    head, rest = path[0], path[1:]
    if head == "@":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk_path(item, rest, (*prefix, index))
        return
    if isinstance(value, dict):
        yield from walk_path(value.get(head), rest, (*prefix, head))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_path(item, path, (*prefix, index))


def unalias(value: Any, aliases: dict[str, str]) -> Any:
    """Rename planner-generated aliases back to the keys the client operation uses."""
    if isinstance(value, list):
        return [unalias(item, aliases) for item in value]
    if isinstance(value, dict):
        return {aliases.get(k, k): unalias(v, aliases) for k, v in value.items()}
    return value
