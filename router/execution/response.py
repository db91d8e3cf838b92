"""Shape merged data to the client operation (GraphQL spec 6.4 value completion)."""

from __future__ import annotations

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

from router.planner.graph_view import GraphView
from router.planner.operation import Field, Selection

__all__ = ["ResponseShaper"]

_PROPAGATE = object()
_INTROSPECTION = frozenset({"__schema", "__type"})


class ResponseShaper:
    """Completes values against the API schema: aliases, `__typename`, no extra fields, nulls."""

    def __init__(self, schema: GraphQLSchema, view: GraphView) -> None:
        self.schema = schema
        self.view = view

    def shape(
        self,
        root_type: str,
        selections: list[Selection],
        data: dict[str, Any],
        errors: list[dict[str, Any]],
    ) -> dict[str, Any] | None:
        """The client's `data`; appends errors for non-null violations and bad enum values."""
        self._errors = errors
        result = self._object(root_type, selections, data, [], root=True)
        return None if result is _PROPAGATE else result

    def _collect(
        self, runtime_type: str, selections: list[Selection], out: dict[str, list[Field]]
    ) -> None:
        for selection in selections:
            if isinstance(selection, Field):
                out.setdefault(selection.response_key, []).append(selection)
            elif self.view.matches(runtime_type, selection.type_condition):
                self._collect(runtime_type, selection.selections, out)

    def _object(
        self,
        type_name: str,
        selections: list[Selection],
        value: dict[str, Any],
        path: list[str | int],
        *,
        root: bool = False,
    ) -> Any:
        graphql_type = self.schema.get_type(type_name)
        if not isinstance(graphql_type, GraphQLObjectType) and not is_abstract_type(graphql_type):
            return None
        fields: dict[str, list[Field]] = {}
        self._collect(type_name, selections, fields)
        result: dict[str, Any] = {}
        for key, group in fields.items():
            name = group[0].name
            if name == "__typename":
                result[key] = type_name
                continue
            if root and name in _INTROSPECTION:
                result[key] = value.get(key)
                continue
            field_def = graphql_type.fields.get(name)  # type: ignore[union-attr]
            if field_def is None:
                result[key] = None
                continue
            merged: list[Selection] = []
            for selection in group:
                merged.extend(selection.selections or ())
            completed = self._complete(field_def.type, merged, value.get(key), [*path, key])
            if completed is _PROPAGATE:
                return _PROPAGATE
            result[key] = completed
        return result

    def _has_error_under(self, path: list[str | int]) -> bool:
        size = len(path)
        return any(
            isinstance(e.get("path"), list) and e["path"][:size] == path for e in self._errors
        ) or any("path" not in e for e in self._errors)

    def _complete(
        self,
        graphql_type: GraphQLOutputType,
        selections: list[Selection],
        value: Any,
        path: list[str | int],
    ) -> Any:
        if isinstance(graphql_type, GraphQLNonNull):
            completed = self._complete(graphql_type.of_type, selections, value, path)
            if completed is None or completed is _PROPAGATE:
                if completed is None and not self._has_error_under(path):
                    self._errors.append(
                        {
                            "message": "Cannot return null for non-nullable field "
                            f"at {'.'.join(map(str, path))}.",
                            "path": path,
                        }
                    )
                return _PROPAGATE
            return completed
        completed = self._nullable(graphql_type, selections, value, path)
        return None if completed is _PROPAGATE else completed

    def _nullable(
        self,
        graphql_type: GraphQLOutputType,
        selections: list[Selection],
        value: Any,
        path: list[str | int],
    ) -> Any:
        if value is None:
            return None
        if isinstance(graphql_type, GraphQLList):
            return self._list(graphql_type, selections, value, path)
        if is_leaf_type(graphql_type):
            return self._leaf(graphql_type, value, path)
        if not isinstance(value, dict):
            return None
        runtime = self._runtime_type(graphql_type, value)
        return None if runtime is None else self._object(runtime, selections, value, path)

    def _list(
        self,
        graphql_type: GraphQLList[Any],
        selections: list[Selection],
        value: Any,
        path: list[str | int],
    ) -> Any:
        if not isinstance(value, list):
            return None
        items = []
        for index, item in enumerate(value):
            completed = self._complete(graphql_type.of_type, selections, item, [*path, index])
            if completed is _PROPAGATE:
                return _PROPAGATE
            items.append(completed)
        return items

    def _leaf(self, graphql_type: GraphQLOutputType, value: Any, path: list[str | int]) -> Any:
        if isinstance(graphql_type, GraphQLEnumType) and value not in graphql_type.values:
            self._errors.append(
                {
                    "message": f"Invalid value for enum {graphql_type.name}.",
                    "path": path,
                    "extensions": {"code": "INVALID_ENUM_VALUE"},
                }
            )
            return None
        return value

    def _runtime_type(self, graphql_type: GraphQLOutputType, value: dict[str, Any]) -> str | None:
        declared: str = graphql_type.name  # type: ignore[union-attr]
        if not is_abstract_type(graphql_type):
            return declared
        typename = value.get("__typename")
        if not isinstance(typename, str) or self.schema.get_type(typename) is None:
            return None
        if typename != declared and not self.view.matches(typename, declared):
            return None
        return typename
