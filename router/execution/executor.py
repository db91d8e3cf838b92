"""Execute federated query plans (Apollo Federation query plans and `_entities` lookups)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from router.execution.client import SubgraphClient, SubgraphFetchError
from router.execution.merge import deep_merge, objects_at, unalias
from router.execution.paths import LinkedPath, path_list
from router.hygiene.subgraph_errors import PRIVATE_EXTENSIONS
from router.planner.graph_view import GraphView
from router.planner.nodes import (
    FetchNode,
    FlattenNode,
    ParallelNode,
    PlanNode,
    QueryPlan,
    SequenceNode,
)
from router.planner.operation import Field, Selection

__all__ = ["ExecutionContext", "Executor"]

# Extensions a subgraph may add for its own debugging; never shown to clients.

_MAX_ERRORS_PER_FETCH = 100


@dataclass(slots=True)
class ExecutionContext:
    """Mutable state of one request's execution."""

    variables: Mapping[str, Any]
    headers: Mapping[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _project(
    value: Any, selections: tuple[Selection, ...] | list[Selection], view: GraphView
) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return [_project(item, selections, view) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for selection in selections:
        if isinstance(selection, Field):
            if selection.response_key not in value:
                continue
            item = value[selection.response_key]
            result[selection.name] = (
                item if selection.selections is None else _project(item, selection.selections, view)
            )
        elif view.matches(str(value.get("__typename")), selection.type_condition):
            result.update(_project(value, selection.selections, view))
    return result


def _leaf_keys(selections: tuple[Selection, ...]) -> list[tuple[str, str]] | None:
    """(name, response key) of each selection when all are leaf fields (the usual key), else
    None."""
    keys = []
    for selection in selections:
        if not isinstance(selection, Field) or selection.selections is not None:
            return None
        keys.append((selection.name, selection.response_key))
    return keys


def _complete(representation: dict[str, Any], selections: tuple[Selection, ...]) -> bool:
    """An object whose key or required fields never arrived cannot be looked up."""
    for selection in selections:
        if isinstance(selection, Field) and selection.name not in representation:
            return False
    return True


class Executor:
    """Runs a plan against the subgraphs and merges every result into one data tree."""

    def __init__(
        self,
        view: GraphView,
        client: SubgraphClient,
        *,
        timeout: float = 30.0,
        timeouts: Mapping[str, float] | None = None,
    ) -> None:
        self.view = view
        self.client = client
        self.timeout = timeout
        self.timeouts = dict(timeouts or {})
        self.urls = {name: sub.url for name, sub in view.sg.subgraphs.items()}

    async def execute(self, plan: QueryPlan, context: ExecutionContext) -> None:
        if plan.node is not None:
            await self._run(plan.node, context)

    async def _run(self, node: PlanNode, context: ExecutionContext) -> None:
        if isinstance(node, SequenceNode):
            for child in node.nodes:
                await self._run(child, context)
        elif isinstance(node, ParallelNode):
            await asyncio.gather(*(self._run(child, context) for child in node.nodes))
        elif isinstance(node, FlattenNode):
            await self._entities(node, context)
        else:
            await self._root(node, context)

    def _variables(self, fetch: FetchNode, context: ExecutionContext) -> dict[str, Any]:
        return {
            name: context.variables[name]
            for name in fetch.variable_usages
            if name in context.variables
        }

    async def _send(
        self, fetch: FetchNode, variables: dict[str, Any], context: ExecutionContext
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"query": fetch.operation}
        if variables:
            payload["variables"] = variables
        body = await self.client.fetch(
            fetch.service_name,
            self.urls[fetch.service_name],
            payload,
            context.headers,
            self.timeouts.get(fetch.service_name, self.timeout),
        )
        if fetch.output_aliases and isinstance(body.get("data"), dict):
            body["data"] = unalias(body["data"], dict(fetch.output_aliases))
        return body

    def _fetch_failed(
        self,
        error: SubgraphFetchError,
        paths: list[LinkedPath],
        context: ExecutionContext,
    ) -> None:
        for path in paths[:_MAX_ERRORS_PER_FETCH] or [None]:
            entry: dict[str, Any] = {
                "message": str(error),
                "extensions": {"code": "SUBREQUEST_HTTP_ERROR", "service": error.service},
            }
            if path is not None:
                entry["path"] = path_list(path)
            context.errors.append(entry)

    @staticmethod
    def subgraph_error(raw: Any, path: list[str | int] | None, service: str) -> dict[str, Any]:
        """A subgraph's GraphQL error as the client sees it (private extensions removed)."""
        return Executor._error(raw, path, service)

    @staticmethod
    def _error(raw: Any, path: list[str | int] | None, service: str) -> dict[str, Any]:
        message = raw.get("message") if isinstance(raw, dict) else None
        entry: dict[str, Any] = {
            "message": message if isinstance(message, str) else "Subgraph error"
        }
        if path is not None:
            entry["path"] = path
        extensions = raw.get("extensions") if isinstance(raw, dict) else None
        # The subgraph's own extensions (e.g. every conflict, retryAfter) reach the client;
        # debugging internals never do, and a retryAfter must be whole seconds (RFC 9110).
        kept = {
            key: value
            for key, value in (extensions.items() if isinstance(extensions, dict) else ())
            if key not in PRIVATE_EXTENSIONS
        }
        retry_after = kept.pop("retryAfter", None)
        if type(retry_after) is int and retry_after >= 0:
            kept["retryAfter"] = retry_after
        entry["extensions"] = {
            **kept,
            "code": kept.get("code") or "SUBGRAPH_ERROR",
            "service": service,
        }
        return entry

    def merge_root(self, body: dict[str, Any], service: str, context: ExecutionContext) -> None:
        """Merge a root fetch's answer (or a subscription event) into ``context``."""
        data = body.get("data")
        if isinstance(data, dict):
            deep_merge(context.data, data, self.view.is_abstract)
        for raw in body.get("errors") or ():
            path = raw.get("path") if isinstance(raw, dict) else None
            context.errors.append(
                self._error(raw, list(path) if isinstance(path, list) else None, service)
            )

    async def _root(self, fetch: FetchNode, context: ExecutionContext) -> None:
        try:
            body = await self._send(fetch, self._variables(fetch, context), context)
        except SubgraphFetchError as error:
            self._fetch_failed(error, [], context)
            return
        self.merge_root(body, fetch.service_name, context)

    def _representations(
        self, node: FlattenNode, data: dict[str, Any]
    ) -> tuple[list[Any], list[list[tuple[dict[str, Any], LinkedPath]]]]:
        """De-duplicated representations of the objects at the node's path, and for each one
        the objects (with their paths) its entity merges into."""
        fetch = node.node
        representations: list[Any] = []
        index_of: dict[bytes, int] = {}
        targets: list[list[tuple[dict[str, Any], LinkedPath]]] = []
        matches = self.view.matches
        fragments = [(fragment, _leaf_keys(fragment.selections)) for fragment in fetch.requires]
        for obj, path in objects_at(data, node.path):
            typename = obj.get("__typename")
            if not isinstance(typename, str):
                continue
            for fragment, keys in fragments:  # noqa: B007 (the match is used after the loop)
                if matches(typename, fragment.type_condition):
                    break
            else:
                continue
            if keys is not None:  # the projection of plain fields, without the generic walk
                representation = {name: obj[key] for name, key in keys if key in obj}
                if len(representation) < len(keys) and not _complete(
                    representation, fragment.selections
                ):
                    continue
            else:
                representation = _project(obj, fragment.selections, self.view)
                if not _complete(representation, fragment.selections):
                    continue
            if fragment.typename:
                representation["__typename"] = fragment.typename
            key = orjson.dumps(representation, option=orjson.OPT_SORT_KEYS)
            index = index_of.get(key)
            if index is None:
                index = len(representations)
                index_of[key] = index
                representations.append(representation)
                targets.append([])
            targets[index].append((obj, path))
        return representations, targets

    async def _entities(self, node: FlattenNode, context: ExecutionContext) -> None:
        fetch = node.node
        representations, targets = self._representations(node, context.data)
        if not representations:
            return
        variables = self._variables(fetch, context)
        variables["representations"] = representations
        try:
            body = await self._send(fetch, variables, context)
        except SubgraphFetchError as error:
            self._fetch_failed(error, [p for group in targets for _, p in group], context)
            return
        data = body.get("data")
        entities = data.get("_entities") if isinstance(data, dict) else None
        if isinstance(entities, list):
            for index, entity in enumerate(entities[: len(targets)]):
                if isinstance(entity, dict):
                    for obj, _ in targets[index]:
                        deep_merge(obj, entity, self.view.is_abstract)
        for raw in body.get("errors") or ():
            self._entity_error(raw, targets, fetch.service_name, context)

    def _entity_error(
        self,
        raw: Any,
        targets: list[list[tuple[dict[str, Any], LinkedPath]]],
        service: str,
        context: ExecutionContext,
    ) -> None:
        path = raw.get("path") if isinstance(raw, dict) else None
        if (
            isinstance(path, list)
            and len(path) >= 2
            and path[0] == "_entities"
            and isinstance(path[1], int)
            and 0 <= path[1] < len(targets)
        ):
            for _, prefix in targets[path[1]]:
                context.errors.append(self._error(raw, [*path_list(prefix), *path[2:]], service))
            return
        context.errors.append(self._error(raw, None, service))
