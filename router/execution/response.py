"""Shape merged data to the client operation (GraphQL spec 6.4 value completion).

The walk over an operation's selections is compiled once per operation (cached with the plan's
selections) into per-type field tables, so a request only visits its data: no fragment matching,
field grouping or schema lookups per object, and response paths are built only for errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    is_abstract_type,
    is_leaf_type,
)

from router.execution.paths import LinkedPath as Path
from router.execution.paths import path_list as _path_list
from router.planner.graph_view import GraphView
from router.planner.operation import Field, Selection

__all__ = ["ResponseShaper"]

_PROPAGATE = object()
_INTROSPECTION = frozenset({"__schema", "__type"})
_CACHE_SIZE = 4096

# what a response key of an object becomes
_FIELD, _SCALAR, _TYPENAME, _RAW, _NULL = range(5)


@dataclass(slots=True)
class _Type:
    """A field's output type, unwrapped once: `List`/`NonNull` layers, then the named type."""

    non_null: bool
    item: _Type | None  # for a list
    named: GraphQLOutputType
    leaf: bool
    enum: GraphQLEnumType | None
    abstract: bool


def _compile_type(graphql_type: GraphQLOutputType) -> _Type:
    non_null = isinstance(graphql_type, GraphQLNonNull)
    nullable: Any = graphql_type.of_type if non_null else graphql_type  # type: ignore[union-attr]
    if isinstance(nullable, GraphQLList):
        return _Type(non_null, _compile_type(nullable.of_type), nullable, False, None, False)
    return _Type(
        non_null,
        None,
        nullable,
        is_leaf_type(nullable),
        nullable if isinstance(nullable, GraphQLEnumType) else None,
        is_abstract_type(nullable),
    )


@dataclass(slots=True)
class _Object:
    """The response keys of one runtime object type under one selection set, in order."""

    type_name: str
    fields: list[tuple[str, int, _Type | None, _Selections | None]]


@dataclass(slots=True)
class _Selections:
    """A (merged) selection set; its per-runtime-type tables are compiled on first use."""

    selections: list[Selection]
    root: bool = False
    by_type: dict[str, _Object | None] = field(default_factory=dict)


def _covers(error_path: list[Any], path: list[str | int]) -> bool:
    """Whether an error at ``error_path`` explains a null at ``path`` (it is there or below).

    Errors found before execution (authorization's) name list items ``"@"``, and one ending
    with a fragment (``"... on Type"``) explains every null inside that object.
    """
    last = error_path[-1] if error_path else None
    fragment = isinstance(last, str) and last.startswith("... on ")
    steps = [s for s in error_path if not (isinstance(s, str) and s.startswith("... on "))]
    if len(steps) < len(path) and not fragment:
        return False
    return all(
        a == b or (a == "@" and isinstance(b, int)) for a, b in zip(steps, path, strict=False)
    )


class ResponseShaper:
    """Completes values against the API schema: aliases, `__typename`, no extra fields, nulls."""

    def __init__(self, schema: GraphQLSchema, view: GraphView) -> None:
        self.schema = schema
        self.view = view
        self._errors: list[dict[str, Any]] = []
        # id(selections) -> (selections, compiled): holding the list keeps its id from reuse
        self._compiled: dict[int, tuple[list[Selection], _Selections]] = {}

    def shape(
        self,
        root_type: str,
        selections: list[Selection],
        data: dict[str, Any],
        errors: list[dict[str, Any]],
    ) -> dict[str, Any] | None:
        """The client's `data`; appends errors for non-null violations and bad enum values."""
        self._errors = errors
        entry = self._compiled.get(id(selections))
        if entry is None or entry[0] is not selections:
            if len(self._compiled) >= _CACHE_SIZE:
                self._compiled.clear()
            entry = (selections, _Selections(selections, root=True))
            self._compiled[id(selections)] = entry
        shape = self._object_shape(entry[1], root_type)
        result = None if shape is None else self._object(shape, data, None)
        return None if result is _PROPAGATE else result

    # ------------------------------------------------------------------ compilation
    def _collect(
        self, runtime_type: str, selections: list[Selection], out: dict[str, list[Field]]
    ) -> None:
        for selection in selections:
            if isinstance(selection, Field):
                out.setdefault(selection.response_key, []).append(selection)
            elif self.view.matches(runtime_type, selection.type_condition):
                self._collect(runtime_type, selection.selections, out)

    def _object_shape(self, shapes: _Selections, type_name: str) -> _Object | None:
        try:
            return shapes.by_type[type_name]
        except KeyError:
            pass
        graphql_type = self.schema.get_type(type_name)
        compiled: _Object | None = None
        if isinstance(graphql_type, GraphQLObjectType) or is_abstract_type(graphql_type):
            grouped: dict[str, list[Field]] = {}
            self._collect(type_name, shapes.selections, grouped)
            fields: list[tuple[str, int, _Type | None, _Selections | None]] = []
            for key, group in grouped.items():
                name = group[0].name
                if name == "__typename":
                    fields.append((key, _TYPENAME, None, None))
                    continue
                if shapes.root and name in _INTROSPECTION:
                    fields.append((key, _RAW, None, None))
                    continue
                field_def = graphql_type.fields.get(name)  # type: ignore[union-attr]
                if field_def is None:
                    fields.append((key, _NULL, None, None))
                    continue
                merged: list[Selection] = []
                for selection in group:
                    merged.extend(selection.selections or ())
                field_type = _compile_type(field_def.type)
                # a scalar is copied as it is unless it is a missing non-null one
                scalar = field_type.leaf and field_type.enum is None
                fields.append((key, _SCALAR if scalar else _FIELD, field_type, _Selections(merged)))
            compiled = _Object(type_name, fields)
        shapes.by_type[type_name] = compiled
        return compiled

    # ------------------------------------------------------------------ completion
    def _object(self, shape: _Object, value: dict[str, Any], path: Path) -> Any:
        result: dict[str, Any] = {}
        for key, kind, field_type, selections in shape.fields:
            if kind <= _SCALAR:
                item = value.get(key)
                if kind == _SCALAR and (item is not None or not field_type.non_null):  # type: ignore[union-attr]
                    result[key] = item
                    continue
                completed = self._complete(
                    field_type,  # type: ignore[arg-type]
                    selections,  # type: ignore[arg-type]
                    item,
                    (path, key),
                )
                if completed is _PROPAGATE:
                    return _PROPAGATE
                result[key] = completed
            elif kind == _TYPENAME:
                result[key] = shape.type_name
            elif kind == _RAW:
                result[key] = value.get(key)
            else:
                result[key] = None
        return result

    def _has_error_under(self, path: list[str | int]) -> bool:
        return any(
            isinstance(e.get("path"), list) and _covers(e["path"], path) for e in self._errors
        ) or any("path" not in e for e in self._errors)

    def _complete(self, field_type: _Type, selections: _Selections, value: Any, path: Path) -> Any:
        completed = self._nullable(field_type, selections, value, path)
        if completed is _PROPAGATE:
            completed = None
        if field_type.non_null and completed is None:
            keys = _path_list(path)
            if not self._has_error_under(keys):
                self._errors.append(
                    {
                        "message": "Cannot return null for non-nullable field "
                        f"at {'.'.join(map(str, keys))}.",
                        "path": keys,
                    }
                )
            return _PROPAGATE
        return completed

    def _nullable(self, field_type: _Type, selections: _Selections, value: Any, path: Path) -> Any:
        if value is None:
            return None
        if field_type.item is not None:
            return self._list(field_type.item, selections, value, path)
        if field_type.leaf:
            return self._leaf(field_type, value, path)
        if not isinstance(value, dict):
            return None
        runtime = (
            self._runtime_type(field_type.named, value)
            if field_type.abstract
            else field_type.named.name  # type: ignore[union-attr]
        )
        if runtime is None:
            return None
        shape = self._object_shape(selections, runtime)
        return None if shape is None else self._object(shape, value, path)

    def _list(self, item: _Type, selections: _Selections, value: Any, path: Path) -> Any:
        if not isinstance(value, list):
            return None
        items = []
        for index, element in enumerate(value):
            completed = self._complete(item, selections, element, (path, index))
            if completed is _PROPAGATE:
                return _PROPAGATE
            items.append(completed)
        return items

    def _leaf(self, field_type: _Type, value: Any, path: Path) -> Any:
        enum = field_type.enum
        if enum is not None and value not in enum.values:
            self._errors.append(
                {
                    "message": f"Invalid value for enum {enum.name}.",
                    "path": _path_list(path),
                    "extensions": {"code": "INVALID_ENUM_VALUE"},
                }
            )
            return None
        return value

    def _runtime_type(self, graphql_type: GraphQLOutputType, value: dict[str, Any]) -> str | None:
        declared: str = graphql_type.name  # type: ignore[union-attr]
        typename = value.get("__typename")
        if not isinstance(typename, str) or self.schema.get_type(typename) is None:
            return None
        if typename != declared and not self.view.matches(typename, declared):
            return None
        return typename
