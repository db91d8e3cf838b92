"""The compiled ``ClaimRegistry`` contract (``../contract/ClaimRegistry.json``, built by solc-js)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["CONTRACT_DIR", "ContractArtifact", "load_artifact"]

CONTRACT_DIR = Path(__file__).resolve().parent.parent / "contract"


@dataclass(frozen=True, slots=True)
class ContractArtifact:
    """ABI and bytecode of one contract, and the compiler that produced them."""

    name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    compiler_version: str


@cache
def load_artifact(path: Path = CONTRACT_DIR / "ClaimRegistry.json") -> ContractArtifact:
    """Read the committed artifact (regenerate it with ``npm ci && npm run build`` there)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return ContractArtifact(
        name=data["contractName"],
        abi=data["abi"],
        bytecode=data["bytecode"],
        deployed_bytecode=data["deployedBytecode"],
        compiler_version=data["compiler"]["version"],
    )
