"""Compose ``supergraph.yaml`` (rover's format) into ``schema/``, or check it is current."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

from router.composition.compose import CompositionResult, SubgraphSource, compose
from router.composition.config import SupergraphConfig, load_config
from router.composition.introspect import fetch_subgraph_sdl

__all__ = ["ProjectComposition", "compose_project", "expected_files"]


@dataclass(frozen=True, slots=True)
class ProjectComposition:
    """What composing the project produced (or would produce) on disk."""

    result: CompositionResult
    files: dict[Path, str] = field(default_factory=dict)
    stale: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def _sources(config: SupergraphConfig, client: httpx.Client | None) -> list[SubgraphSource]:
    sources = []
    for name, subgraph in config.subgraphs.items():
        schema = subgraph.schema_
        if schema.file is not None:
            try:
                sdl = schema.file.read_text(encoding="utf-8")
            except OSError as exc:
                raise FileNotFoundError(
                    f'subgraph "{name}": cannot read schema file {schema.file}: {exc.strerror}'
                ) from exc
        else:
            assert schema.subgraph_url is not None
            sdl = fetch_subgraph_sdl(
                name, schema.subgraph_url, headers=schema.introspection_headers, client=client
            )
        sources.append(SubgraphSource(name=name, url=subgraph.routing_url, sdl=sdl))
    return sources


def expected_files(
    sources: list[SubgraphSource], out: Path, *, max_federation: tuple[int, int] | None = None
) -> tuple[CompositionResult, dict[Path, str]]:
    """The subgraph SDL exports ``<out dir>/<name>.graphql`` and the supergraph at ``out``."""
    files = {
        out.parent / f"{s.name}.graphql": s.sdl if s.sdl.endswith("\n") else s.sdl + "\n"
        for s in sources
    }
    result = compose(sources, max_federation=max_federation)
    if result.supergraph is not None:
        files[out] = result.supergraph
    return result, files


def compose_project(
    config_path: Path,
    out: Path,
    *,
    check: bool = False,
    client: httpx.Client | None = None,
) -> ProjectComposition:
    """Compose ``config_path`` and write ``out`` (or, with ``check``, report stale files only)."""
    config = load_config(config_path)
    sources = _sources(config, client)
    result, files = expected_files(sources, out, max_federation=config.pinned_federation)
    stale = [
        path
        for path, text in files.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if check or result.supergraph is None:
        return ProjectComposition(result, files, stale)
    out.parent.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
    return ProjectComposition(result, files, stale, written=list(stale))
