"""Merge subgraph results into the response tree (Apollo Federation entity merging)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from router.execution.paths import LinkedPath, path_list

__all__ = ["deep_merge", "objects_at", "unalias", "walk_path"]


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


def objects_at(value: Any, path: tuple[str, ...]) -> list[tuple[dict[str, Any], LinkedPath]]:
    """Every object at a plan path (`@` steps into lists; lists met elsewhere are flattened),
    in document order, each with its response path as a linked path."""
    level: list[tuple[Any, LinkedPath]] = [(value, None)]
    for head in path:
        found: list[tuple[Any, LinkedPath]] = []
        append = found.append
        if head == "@":
            for item, item_path in level:
                if isinstance(item, list):
                    for index, element in enumerate(item):
                        if element is not None:
                            append((element, (item_path, index)))
        else:
            for item, item_path in level:
                if isinstance(item, dict):
                    child = item.get(head)
                    if child is not None:
                        append((child, (item_path, head)))
                elif isinstance(item, list):
                    _field_in_list(item, item_path, head, found)
        level = found
    objects: list[tuple[dict[str, Any], LinkedPath]] = []
    for item, item_path in level:
        _leaves(item, item_path, objects)
    return objects


def _field_in_list(
    value: list[Any], path: LinkedPath, head: str, found: list[tuple[Any, LinkedPath]]
) -> None:
    """A field step met a list where the plan has no `@`: step into every item."""
    for index, item in enumerate(value):
        item_path = (path, index)
        if isinstance(item, dict):
            child = item.get(head)
            if child is not None:
                found.append((child, (item_path, head)))
        elif isinstance(item, list):
            _field_in_list(item, item_path, head, found)


def _leaves(value: Any, path: LinkedPath, objects: list[tuple[dict[str, Any], LinkedPath]]) -> None:
    if isinstance(value, dict):
        objects.append((value, path))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _leaves(item, (path, index), objects)


def walk_path(
    value: Any, path: tuple[str, ...]
) -> Iterator[tuple[dict[str, Any], tuple[str | int, ...]]]:
    """Like `objects_at`, with each response path as a tuple."""
    for obj, linked in objects_at(value, path):
        yield obj, tuple(path_list(linked))


def unalias(value: Any, aliases: dict[str, str]) -> Any:
    """Rename planner-generated aliases back to the keys the client operation uses."""
    if isinstance(value, list):
        return [unalias(item, aliases) for item in value]
    if isinstance(value, dict):
        return {aliases.get(k, k): unalias(v, aliases) for k, v in value.items()}
    return value
