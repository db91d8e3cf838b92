"""Check every API field is reachable through subgraphs (https://www.apollographql.com/docs/graphos/reference/federation/errors#satisfiability_error)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from router.composition.errors import CompositionError
from router.composition.fieldset import FieldSetError, collect_targets
from router.composition.merged import MergedType, Supergraph
from router.composition.metadata import SubgraphMetadata
from router.composition.model import Kind, Subgraph, TypeDef

__all__ = ["check_satisfiability"]

_ROOTS = ("Query", "Mutation", "Subscription")
_COMPOSITE = frozenset({Kind.OBJECT, Kind.INTERFACE, Kind.UNION})


@dataclass(frozen=True, slots=True)
class _State:
    """A query position: on ``type``, resolvable from any of ``subgraphs`` by some route."""

    type: str
    subgraphs: frozenset[int]


def _hidden(merged: MergedType | None) -> bool:
    return merged is None or any(d.name == "inaccessible" for d in merged.directives)


class _Checker:
    def __init__(
        self, supergraph: Supergraph, subgraphs: list[Subgraph], metas: list[SubgraphMetadata]
    ) -> None:
        self.supergraph = supergraph
        self.subgraphs = subgraphs
        self.metas = metas
        self.paths: dict[_State, tuple[str, ...]] = {}
        self.errors: list[CompositionError] = []

    # ------------------------------------------------------------------ subgraph facts
    def resolves(self, idx: int, type_name: str, field: str) -> bool:
        """Whether subgraph ``idx`` can resolve ``type.field`` itself (provided counts)."""
        typedef = self.subgraphs[idx].types.get(type_name)
        f = typedef.fields.get(field) if typedef else None
        return f is not None and not self.metas[idx].is_fully_external(f)

    def has_fields(self, sources: set[int], type_name: str, fields: str, owner: Subgraph) -> bool:
        """Whether ``sources`` together have the top-level fields of a key written for ``owner``.

        Key conditions may be collected from several subgraphs, and nested key fields may come
        from further jumps, so only top-level fields are required, from any reachable subgraph.
        """
        try:
            targets = collect_targets(owner, type_name, fields, include_implementations=False)
        except FieldSetError:
            return False
        return all(
            any(
                t.field.name in getattr(self.subgraphs[i].types.get(t.field.parent), "fields", {})
                for i in sources
            )
            for t in targets
            if not t.nested
        )

    def entity_keys(self, idx: int, type_name: str) -> list[tuple[str, str]]:
        """Resolvable keys through which subgraph ``idx`` accepts ``type_name`` representations."""
        subgraph = self.subgraphs[idx]
        typedef = subgraph.types.get(type_name)
        keys = [(type_name, k.fields) for k in typedef.keys if k.resolvable] if typedef else []
        merged = self.supergraph.types.get(type_name)
        for itf in merged.interfaces if merged else ():
            itf_def = subgraph.types.get(itf)
            if itf_def is not None and (typedef is not None or itf_def.interface_object):
                keys += [(itf, k.fields) for k in itf_def.keys if k.resolvable]
        return keys

    def closure(self, start: set[int], type_name: str) -> set[int]:
        """Every subgraph a query on ``type_name`` can move to from ``start`` through keys."""
        reached = set(start)
        grew = True
        while grew:
            grew = False
            for target in range(len(self.subgraphs)):
                if target in reached:
                    continue
                owner = self.subgraphs[target]
                if any(
                    self.has_fields(reached, type_name, fields, owner)
                    or self.has_fields(reached, key_type, fields, owner)
                    for key_type, fields in self.entity_keys(target, type_name)
                ):
                    reached.add(target)
                    grew = True
        return reached

    def available(self, subgraphs: set[int], type_name: str, field: str) -> bool:
        if any(self.resolves(i, type_name, field) for i in subgraphs):
            return True
        merged = self.supergraph.types[type_name]
        for itf in merged.interfaces:
            for i in subgraphs | set(range(len(self.subgraphs))):
                itf_def = self.subgraphs[i].types.get(itf)
                if (
                    itf_def is not None
                    and itf_def.interface_object
                    and self.resolves(i, itf, field)
                ):
                    return True
        return False

    # ------------------------------------------------------------------ traversal
    def runtime_types(self, idx: int, type_name: str) -> list[str]:
        typedef: TypeDef | None = self.subgraphs[idx].types.get(type_name)
        if typedef is None:
            return []
        if typedef.kind is Kind.OBJECT:
            return [type_name]
        if typedef.kind is Kind.UNION:
            return [m for m in typedef.members if m in self.subgraphs[idx].types]
        if typedef.kind is Kind.INTERFACE:
            return [
                t.name
                for t in self.subgraphs[idx].types.values()
                if t.kind is Kind.OBJECT and type_name in t.interfaces
            ]
        return []

    def run(self) -> None:
        queue: deque[_State] = deque()
        for root in _ROOTS:
            holders = frozenset(i for i, s in enumerate(self.subgraphs) if root in s.types)
            if holders and root in self.supergraph.types:
                self.visit(_State(root, holders), (root,), queue)
        while queue:
            self.step(queue.popleft(), queue)

    def visit(self, state: _State, path: tuple[str, ...], queue: deque[_State]) -> None:
        if state not in self.paths:
            self.paths[state] = path
            queue.append(state)

    def step(self, state: _State, queue: deque[_State]) -> None:
        merged = self.supergraph.types.get(state.type)
        if _hidden(merged):
            return
        assert merged is not None
        reachable = self.closure(set(state.subgraphs), state.type)
        path = self.paths[state]
        if merged.kind is Kind.INTERFACE and not self.typename_resolvable(state, reachable):
            self.report_interface_object(state, path)
        for name, field in merged.fields.items():
            if any(d.name == "inaccessible" for d in field.directives):
                continue
            options = {i for i in reachable if self.resolves(i, state.type, name)}
            if not options and not self.available(reachable, state.type, name):
                self.report(state, path, name)
                continue
            target = field.type.replace("[", "").replace("]", "").replace("!", "")
            target_type = self.supergraph.types.get(target)
            if not options or target_type is None or target_type.kind not in _COMPOSITE:
                continue
            runtimes: dict[str, set[int]] = {}
            for idx in options:
                for runtime in self.runtime_types(idx, target):
                    runtimes.setdefault(runtime, set()).add(idx)
            for runtime, holders in sorted(runtimes.items()):
                step = name if runtime == target else f"{name} ... on {runtime}"
                self.visit(_State(runtime, frozenset(holders)), (*path, step), queue)

    def typename_resolvable(self, state: _State, reachable: set[int]) -> bool:
        """From an @interfaceObject, some subgraph with the real interface must give __typename."""
        if not any(self.subgraphs[i].types[state.type].interface_object for i in state.subgraphs):
            return True
        if not any(state.type in t.interfaces for t in self.supergraph.types.values()):
            return True  # no implementation, so no type name to resolve
        return any(
            (typedef := self.subgraphs[i].types.get(state.type)) is not None
            and typedef.kind is Kind.INTERFACE
            and any(k.resolvable for k in typedef.keys)
            for i in reachable
        )

    def report_interface_object(self, state: _State, path: tuple[str, ...]) -> None:
        names = ", ".join(f'"{self.subgraphs[i].name}"' for i in sorted(state.subgraphs))
        steps = "".join(f"{step} {{ " for step in path[1:])
        self.errors.append(
            CompositionError(
                "SATISFIABILITY_ERROR",
                f"The following supergraph API query:\n{{ {steps}__typename "
                + "} " * len(path[1:])
                + f"}}\ncannot be satisfied by the subgraphs because:\n- from subgraph(s) {names}: "
                "no subgraph can be reached to resolve the implementation type of @interfaceObject "
                f'type "{state.type}".',
                None,
                state.type,
            )
        )

    def report(self, state: _State, path: tuple[str, ...], field: str) -> None:
        subgraph = ", ".join(f'"{self.subgraphs[i].name}"' for i in sorted(state.subgraphs))
        steps = [*path[1:], field]
        query = ""
        for depth, step in enumerate(reversed(steps)):
            indent = "  " * (len(steps) - depth)
            query = f"{indent}{step}" + (f" {{\n{query}\n{indent}}}" if query else "")
        operation = {"Query": "", "Mutation": "mutation ", "Subscription": "subscription "}
        prefix = operation.get(path[0], "")
        self.errors.append(
            CompositionError(
                "SATISFIABILITY_ERROR",
                f"The following supergraph API query:\n{prefix}{{\n{query}\n}}\ncannot be "
                f"satisfied by the subgraphs because:\n- from subgraph(s) {subgraph}: cannot find "
                f'field "{state.type}.{field}" and no subgraph defining it can be reached with a '
                f'@key of "{state.type}".',
                None,
                f"{state.type}.{field}",
            )
        )


def check_satisfiability(
    supergraph: Supergraph, subgraphs: list[Subgraph], metas: list[SubgraphMetadata]
) -> list[CompositionError]:
    """Report API-schema fields that some reachable query position cannot resolve.

    A conservative approximation of Apollo's query-graph validation: whenever it is unsure
    (``@provides`` paths, ``@requires`` conditions, nested key fields, progressive overrides) it
    assumes the field can be resolved, so it reports only supergraphs that certainly cannot
    serve some query.
    """
    checker = _Checker(supergraph, subgraphs, metas)
    checker.run()
    unique: dict[str, CompositionError] = {}
    for error in checker.errors:
        unique.setdefault(error.coordinate or error.message, error)
    return list(unique.values())
