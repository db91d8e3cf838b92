"""Each subgraph's SDL exactly as its ``_service { sdl }`` answers, for ``schema/<name>.graphql``."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path

from subgraphs.stack.services import SUBGRAPHS

__all__ = [
    "export_subgraph_sdl",
    "exported_services",
    "stale_sdl_files",
    "subgraph_sdl",
    "write_subgraph_sdl",
]


def subgraph_sdl(service: str) -> str:
    """``service``'s federation SDL, from its Strawberry schema (``subgraphs.<service>.schema``)."""
    module = importlib.import_module(f"subgraphs.{service}.schema")
    result = module.schema.execute_sync("{ _service { sdl } }")
    if result.errors:
        raise RuntimeError(f"{service}: cannot print its SDL: {result.errors[0].message}")
    sdl: str = result.data["_service"]["sdl"]
    return sdl if sdl.endswith("\n") else sdl + "\n"


def exported_services(config: Path, schema_dir: Path) -> list[str]:
    """Subgraphs of ``config`` whose schema file is ``schema_dir/<name>.graphql``: exported from code."""
    from router.composition.config import load_config

    exported = []
    for name, subgraph in load_config(config).subgraphs.items():
        file = subgraph.schema_.file
        if file is not None and file.resolve() == (schema_dir / f"{name}.graphql").resolve():
            exported.append(name)
    return exported


def export_subgraph_sdl(schema_dir: Path, services: Iterable[str]) -> dict[Path, str]:
    """Path -> SDL for each of ``services`` that this checkout contains."""
    available = {spec.name for spec in SUBGRAPHS if spec.available}
    return {
        schema_dir / f"{name}.graphql": subgraph_sdl(name) for name in services if name in available
    }


def _stale(files: dict[Path, str]) -> list[Path]:
    return [
        path
        for path, sdl in files.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != sdl
    ]


def stale_sdl_files(schema_dir: Path, services: Iterable[str]) -> list[Path]:
    """The exported SDL files that are missing or differ from the code."""
    return _stale(export_subgraph_sdl(schema_dir, services))


def write_subgraph_sdl(schema_dir: Path, services: Iterable[str]) -> list[Path]:
    """Write the stale SDL files; returns the paths written."""
    schema_dir.mkdir(parents=True, exist_ok=True)
    files = export_subgraph_sdl(schema_dir, services)
    written = _stale(files)
    for path in written:
        path.write_text(files[path], encoding="utf-8")
    return written
