"""Compare two gateways' answers to one operation, and the differences we know and accept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from graphql import GraphQLSchema, TypeInfo, TypeInfoVisitor, Visitor, parse, visit

__all__ = ["Difference", "KnownDifference", "compare", "coordinates", "load_known_differences"]

KNOWN_DIFFERENCES = Path(__file__).with_name("known_differences.yaml")


@dataclass(frozen=True, slots=True)
class Difference:
    """Where our router and the reference answered one operation differently."""

    supergraph: str
    kind: str  # "ours-error", "reference-error", "data", "error-paths"
    query: str
    variables: dict[str, Any]
    ours: Any
    reference: Any

    def summary(self) -> str:
        return (
            f"[{self.supergraph}] {self.kind}\n  query: {self.query}\n"
            f"  variables: {self.variables}\n  ours: {_short(self.ours)}\n"
            f"  reference: {_short(self.reference)}"
        )


@dataclass(frozen=True, slots=True)
class KnownDifference:
    """A difference we accept: the reference is wrong by the spec (the reason says how).

    It matches a difference on ``supergraph`` ("*": any) whose operation selects ``coordinate``
    ("*": any) and whose answers relate as ``shape`` says:
    - ``reference-error``: the reference failed the whole operation, we answered without errors;
    - ``reference-drops-fields``: our data holds all the reference's and more, and the
      reference's extra error paths (if any) name fields absent from our answer (skipped ones);
    - ``reference-nulls-empty-selection``: the reference has null (or nulled its parents) just
      where we answer an object whose every field @skip/@include removed (or an empty list of
      them), and reports no error we do not;
    - ``reference-error-path-index``: same data, same error paths but for list indices;
    - ``data``: any difference in data.
    Our own error paths must always lead to nulls in our data.
    """

    supergraph: str
    coordinate: str
    shape: str
    reason: str

    def matches(self, difference: Difference, selected: set[str]) -> bool:
        if self.supergraph not in ("*", difference.supergraph):
            return False
        if self.coordinate != "*" and self.coordinate not in selected:
            return False
        ours, reference = difference.ours, difference.reference
        if self.shape == "data":
            return difference.kind == "data"
        ours_data, reference_data = ours.get("data"), reference.get("data")
        ours_paths, reference_paths = _error_paths(ours), _error_paths(reference)
        emptied = {p for p in reference_paths - ours_paths if _emptied(ours_data, p)}
        shapes: dict[str, Callable[[], bool]] = {
            "reference-error": lambda: difference.kind == "reference-error" and not ours_paths,
            "reference-drops-fields": lambda: (
                _covers(ours_data, reference_data)
                and ours_paths <= reference_paths
                and all(_absent(ours_data, p) for p in reference_paths - ours_paths)
            ),
            "reference-nulls-empty-selection": lambda: (
                _nulls_empty(ours_data, reference_data, emptied)
                and all(p in ours_paths or p in emptied for p in reference_paths)
            ),
            "reference-errors-on-skipped-fields": lambda: (
                ours_data == reference_data
                and ours_paths < reference_paths
                and all(
                    _absent(ours_data, p) and _absent(reference_data, p)
                    for p in reference_paths - ours_paths
                )
            ),
            "reference-error-path-index": lambda: (
                ours_data == reference_data
                and sorted(map(_unindexed, ours_paths)) == sorted(map(_unindexed, reference_paths))
            ),
        }
        if self.shape not in shapes:
            raise ValueError(f"unknown shape {self.shape!r} in the known differences")
        return _points_at_nulls(ours_data, ours_paths) and shapes[self.shape]()


def _absent(data: Any, path: tuple[Any, ...]) -> bool:
    """Whether ``path`` names a field nobody asked for: its object is there, the field is not."""
    value = data
    for step in path[:-1]:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(value, dict) and path[-1] not in value


def _emptied(data: Any, path: tuple[Any, ...]) -> bool:
    """Whether ``path`` leads to an empty object (or list) in ``data``, or one holding them."""
    value = data
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return False
    return value == [] or _has_empty(value)


def _unindexed(path: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple("@" if isinstance(step, int) else step for step in path)


def _points_at_nulls(data: Any, paths: set[tuple[Any, ...]]) -> bool:
    """Whether every error path leads to a null in ``data`` (or to a nulled parent of it)."""
    for path in paths:
        value = data
        for step in path:
            if value is None:
                break
            try:
                value = value[step]
            except (KeyError, IndexError, TypeError):
                return False
        if value is not None:
            return False
    return True


def _covers(ours: Any, reference: Any) -> bool:
    """Whether ``ours`` holds everything ``reference`` does (and maybe more object fields)."""
    if isinstance(ours, dict) and isinstance(reference, dict):
        return all(k in ours and _covers(ours[k], v) for k, v in reference.items())
    if isinstance(ours, list) and isinstance(reference, list):
        return len(ours) == len(reference) and all(map(_covers, ours, reference))
    return bool(ours == reference)


def _has_empty(value: Any) -> bool:
    if isinstance(value, dict):
        return not value or any(_has_empty(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_empty(v) for v in value)
    return False


def _nulls_empty(
    ours: Any, reference: Any, emptied: set[tuple[Any, ...]], at: tuple[Any, ...] = ()
) -> bool:
    """Equal, except that the reference is null where ours is, or holds, an empty object, or
    where the reference's null propagated up from an ``emptied`` path of ours."""
    if reference is None and ours is not None:
        return _has_empty(ours) or any(p[: len(at)] == at for p in emptied)
    if isinstance(ours, dict) and isinstance(reference, dict):
        return ours.keys() == reference.keys() and all(
            _nulls_empty(ours[k], reference[k], emptied, (*at, k)) for k in ours
        )
    if isinstance(ours, list) and isinstance(reference, list):
        return len(ours) == len(reference) and all(
            _nulls_empty(o, r, emptied, (*at, i))
            for i, (o, r) in enumerate(zip(ours, reference, strict=True))
        )
    return bool(ours == reference)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 600 else text[:600] + "..."


def _error_paths(response: Any) -> set[tuple[Any, ...]]:
    if not isinstance(response, dict):
        return set()
    errors = list(response.get("errors") or ())
    # @apollo/gateway reports null-propagation errors under extensions.valueCompletion rather
    # than in `errors` (GraphQL spec 6.4.4 says `errors`): read both
    errors += (response.get("extensions") or {}).get("valueCompletion") or ()
    return {tuple(e.get("path") or ()) for e in errors}


def compare(
    supergraph: str, operation: dict[str, Any], ours: Any, reference: Any
) -> Difference | None:
    """The difference between two answers (``data``, then the set of error paths), if any."""
    ours_data = ours.get("data") if isinstance(ours, dict) else None
    reference_data = reference.get("data") if isinstance(reference, dict) else None
    kind = None
    if ours_data != reference_data:
        if ours_data is None and ours.get("errors"):
            kind = "ours-error"
        elif reference_data is None and reference.get("errors"):
            kind = "reference-error"
        else:
            kind = "data"
    elif _error_paths(ours) != _error_paths(reference):
        kind = "error-paths"
    if kind is None:
        return None
    return Difference(supergraph, kind, operation["query"], operation["variables"], ours, reference)


class _Coordinates(Visitor):
    def __init__(self, type_info: TypeInfo, found: set[str]) -> None:
        super().__init__()
        self.type_info = type_info
        self.found = found

    def enter_field(self, node: Any, *_: Any) -> None:
        parent = self.type_info.get_parent_type()
        if parent is not None:
            self.found.add(f"{parent.name}.{node.name.value}")


def coordinates(schema: GraphQLSchema, query: str) -> set[str]:
    """Every ``Type.field`` an operation selects."""
    found: set[str] = set()
    type_info = TypeInfo(schema)
    visit(parse(query), TypeInfoVisitor(type_info, _Coordinates(type_info, found)))
    return found


def load_known_differences(path: Path = KNOWN_DIFFERENCES) -> list[KnownDifference]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        KnownDifference(e["supergraph"], e["coordinate"], e["shape"], " ".join(e["reason"].split()))
        for e in entries
    ]
