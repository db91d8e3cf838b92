"""What every merge step shares: the subgraphs, the merged types so far, errors and join directives (https://specs.apollo.dev/join/v0.5)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from router.composition.directives import print_string
from router.composition.errors import CompositionError
from router.composition.merged import MergedDirective, MergedType
from router.composition.metadata import SubgraphMetadata
from router.composition.model import Applied, Kind, Subgraph, TypeDef

__all__ = ["MergeContext", "describe", "graph_enum_name"]


def graph_enum_name(name: str) -> str:
    """The ``join__Graph`` value for a subgraph name (as @apollo/composition sanitises it)."""
    sanitised = re.sub(r"\W", "_", name)
    if re.match(r"^\d", sanitised):
        sanitised = "_" + sanitised
    if re.search(r"_\d+$", sanitised):
        sanitised += "_"
    return sanitised.upper()


def describe(descriptions: list[str | None]) -> str | None:
    """Pick a description as Apollo does: the only one, the only non-empty, else the commonest."""
    seen: list[str] = []
    counts: list[int] = []
    for description in descriptions:
        if description is None:
            continue
        if description in seen:
            counts[seen.index(description)] += 1
        else:
            seen.append(description)
            counts.append(-(2**53) if description == "" else 1)
    if not seen:
        return None
    non_empty = [d for d in seen if d]
    if len(seen) == 1:
        return seen[0]
    if len(non_empty) == 1:
        return non_empty[0]
    return seen[counts.index(max(counts))]


class MergeContext:
    """State of one composition run and the helpers every merge step uses."""

    def __init__(self, subgraphs: list[Subgraph], metas: list[SubgraphMetadata]) -> None:
        self.subgraphs = subgraphs
        self.metas = metas
        self.names = [s.name for s in subgraphs]
        self.graphs = self.graph_names()
        self.errors: list[CompositionError] = []
        self.used: set[str] = set()
        self.enum_usage: dict[str, set[str]] = {}
        self.types: dict[str, MergedType] = {}
        self.kinds: dict[str, Kind] = {}
        self.interface_object_fields: dict[str, set[str]] = {}
        self.auth_sources: dict[str, dict[str, list[Applied]]] = {}

    def graph_names(self) -> list[str]:
        sanitised = [graph_enum_name(n) for n in self.names]
        result = []
        for name, value in zip(self.names, sanitised, strict=True):
            clashes = [n for n, v in zip(self.names, sanitised, strict=True) if v == value]
            result.append(value if len(clashes) == 1 else f"{value}_{clashes.index(name) + 1}")
        return result

    def error(self, code: str, message: str, coordinate: str | None = None) -> None:
        self.errors.append(CompositionError(code, message, None, coordinate))

    def join(self, name: str, **args: str | bool | None) -> MergedDirective:
        printed: list[tuple[str, str]] = []
        for key, value in args.items():
            if value is None:
                continue
            if isinstance(value, bool):
                printed.append((key, "true" if value else "false"))
            elif key == "graph":
                printed.append((key, value))
            else:
                printed.append((key, print_string(value)))
        return MergedDirective(f"join__{name}", printed)

    def is_possible(self, abstract: str, member: str) -> bool:
        merged = self.types.get(abstract)
        if merged is None:
            return False
        if merged.kind is Kind.UNION:
            return member in merged.members
        implementer = self.types.get(member)
        return implementer is not None and abstract in implementer.interfaces

    def per_subgraph(self, values: Mapping[int, str | None]) -> str:
        """``X in subgraph "a" and Y in subgraph "b"`` for the subgraphs that have a value."""
        return " and ".join(
            f'{v} in subgraph "{self.names[i]}"' for i, v in values.items() if v is not None
        )

    def subgraph_list(self, names: list[int]) -> str:
        quoted = [f'"{self.names[i]}"' for i in names]
        if len(quoted) == 1:
            return f"subgraph {quoted[0]}"
        return "subgraphs " + ", ".join(quoted[:-1]) + f" and {quoted[-1]}"

    def sources(self, name: str) -> dict[int, TypeDef]:
        return {i: s.types[name] for i, s in enumerate(self.subgraphs) if name in s.types}

    @staticmethod
    def index_of(typedef: TypeDef, sources: Mapping[int, TypeDef]) -> int:
        return next(i for i, t in sources.items() if t is typedef)
