"""Claims on an EVM chain: the ``ClaimRegistry`` contract's artifact, clients and errors."""

from __future__ import annotations

from subgraphs.billing.claims.chain.artifact import ContractArtifact, load_artifact
from subgraphs.billing.claims.chain.client import (
    AnchoredClaim,
    ChainTransaction,
    ClaimRegistryClient,
)
from subgraphs.billing.claims.chain.registry import ClaimRegistry
from subgraphs.billing.claims.chain.settings import ChainSettings
from subgraphs.billing.claims.chain.status import ChainStatus

__all__ = [
    "AnchoredClaim",
    "ChainSettings",
    "ChainStatus",
    "ChainTransaction",
    "ClaimRegistry",
    "ClaimRegistryClient",
    "ContractArtifact",
    "load_artifact",
]
