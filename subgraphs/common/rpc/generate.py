"""Regenerates the committed Python modules of ``billing.proto`` with grpcio-tools.

Run ``python -m subgraphs.common.rpc.generate`` after changing the ``.proto``; a test fails
while the committed modules differ from a fresh generation.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path

__all__ = ["GENERATED", "PROTO", "REPO_ROOT", "generate", "main"]

REPO_ROOT = Path(__file__).resolve().parents[3]
PROTO = Path(__file__).resolve().parent / "proto" / "billing" / "v1" / "billing.proto"
# What protoc writes for PROTO: messages, their typing stub, and the service's stub/servicer.
GENERATED = tuple(
    PROTO.with_name(f"billing{suffix}") for suffix in ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")
)


def generate(destination: Path) -> list[Path]:
    """Write the generated modules below ``destination`` (mirroring the repository's layout)."""
    from grpc_tools import protoc  # a development tool, needed only to regenerate

    well_known = resources.files("grpc_tools") / "_proto"
    source = PROTO.relative_to(REPO_ROOT)
    # Included from the repository root, the modules import each other as
    # ``subgraphs.billing.grpc.proto.billing.v1``: importable without touching sys.path.
    status = protoc.main(
        [
            "grpc_tools.protoc",
            f"-I{REPO_ROOT}",
            f"-I{well_known}",
            f"--python_out={destination}",
            f"--pyi_out={destination}",
            f"--grpc_python_out={destination}",
            str(source),
        ]
    )
    if status != 0:
        raise RuntimeError(f"protoc failed on {source} (exit status {status})")
    return [destination / path.relative_to(REPO_ROOT) for path in GENERATED]


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        for fresh, target in zip(generate(Path(scratch)), GENERATED, strict=True):
            shutil.copyfile(fresh, target)
            sys.stdout.write(f"wrote {target.relative_to(REPO_ROOT)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
