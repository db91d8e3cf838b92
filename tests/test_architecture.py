"""The layer contracts in pyproject.toml ([tool.importlinter]) hold: `make test` fails when one breaks."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest


def test_import_layer_contracts_are_kept(repo_root: Path) -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    if not lint_imports.exists():
        pytest.fail("lint-imports is missing: `make install` installs the dev extras")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout


def test_the_router_never_imports_a_subgraph_is_one_of_them(repo_root: Path) -> None:
    config = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    forbidden = [c for c in contracts if c["type"] == "forbidden"]
    assert any(
        c["source_modules"] == ["router"] and c["forbidden_modules"] == ["subgraphs"]
        for c in forbidden
    )


def test_every_path_in_the_architecture_doc_exists(repo_root: Path) -> None:
    doc = (repo_root / "docs" / "architecture.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`((?:router|subgraphs|schema|tests|docs)/[\w./-]*)`", doc))
    assert len(paths) > 20
    assert sorted(p for p in paths if not (repo_root / p).exists()) == []
