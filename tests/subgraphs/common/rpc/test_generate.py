"""The committed gRPC modules are exactly what grpcio-tools generates from billing.proto."""

from __future__ import annotations

from pathlib import Path

from subgraphs.common.rpc.generate import GENERATED, REPO_ROOT, generate


def test_committed_modules_match_a_fresh_generation(tmp_path: Path) -> None:
    fresh = generate(tmp_path)

    stale = [
        str(committed.relative_to(REPO_ROOT))
        for new, committed in zip(fresh, GENERATED, strict=True)
        if new.read_bytes() != committed.read_bytes()
    ]
    assert stale == [], f"run: python -m subgraphs.common.rpc.generate (stale: {stale})"
