"""The committed ClaimRegistry.json is exactly what solc-js compiles from ClaimRegistry.sol today."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from subgraphs.billing.claims.chain.artifact import CONTRACT_DIR, load_artifact
from tests.node_peer import NodeUnavailableError, ensure_node_modules

pytestmark = pytest.mark.node


def test_committed_artifact_matches_a_fresh_compile() -> None:
    node = shutil.which("node")
    try:
        ensure_node_modules(CONTRACT_DIR)
    except NodeUnavailableError as exc:
        pytest.skip(str(exc))
    assert node is not None
    fresh = subprocess.run(
        [node, "compile.mjs", "--stdout"],
        cwd=CONTRACT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    committed = (CONTRACT_DIR / "ClaimRegistry.json").read_text(encoding="utf-8")
    assert json.loads(fresh) == json.loads(committed), (
        "ClaimRegistry.json is stale: run `npm ci && npm run build` in " + str(CONTRACT_DIR)
    )
    assert fresh == committed


def test_the_artifact_exposes_the_registry_interface() -> None:
    artifact = load_artifact()
    names = {entry.get("name") for entry in artifact.abi}
    assert {"anchor", "setStatus", "claimOf", "hospital", "insurer"} <= names
    assert {"ClaimAnchored", "ClaimStatusChanged", "DuplicateClaim", "NotInsurer"} <= names
    assert artifact.bytecode.startswith("0x60")
    assert artifact.compiler_version.startswith("0.8.")
