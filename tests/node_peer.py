"""Run reference peers from ``tests/node`` (npm packages pinned in its package.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["NODE_DIR", "NodeUnavailableError", "ensure_node_modules", "run_node_script"]

NODE_DIR = Path(__file__).parent / "node"


class NodeUnavailableError(RuntimeError):
    """Node.js/npm are missing or the peer packages could not be installed."""


def ensure_node_modules(directory: Path = NODE_DIR) -> Path:
    """Install ``directory`` (``tests/node`` by default) once with ``npm install`` when its
    ``node_modules`` is missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise NodeUnavailableError("node and npm are needed for the reference peers")
    if not (directory / "node_modules").is_dir():
        result = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise NodeUnavailableError(
                f"npm install failed in {directory}: {result.stderr[-2000:]}"
            )
    return directory


def run_node_script(script: str, payload: Any, *, timeout: float = 120) -> Any:
    """Run ``tests/node/<script>`` with JSON ``payload`` on stdin; return its JSON stdout."""
    node = shutil.which("node")
    if node is None:
        raise NodeUnavailableError("node is needed for the reference peers")
    result = subprocess.run(
        [node, str(NODE_DIR / script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{script} failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout)
