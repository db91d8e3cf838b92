"""Chain settings for claims, mixed into the billing service's settings (prefix ``BILLING_``)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ChainSettings"]


class ChainSettings(BaseSettings):
    """``BILLING_CHAIN_RPC_URL``, ``BILLING_CHAIN_CONTRACT_ADDRESS``, ``BILLING_CHAIN_*_KEY``, timeouts.

    Without ``BILLING_CHAIN_RPC_URL`` claims are anchored on an in-process chain (eth-tester with
    py-evm) that lives as long as the process: fine for a demo and tests, not for keeping proofs.
    """

    model_config = SettingsConfigDict(env_prefix="BILLING_", extra="ignore", frozen=True)

    # Any Ethereum JSON-RPC endpoint (geth, anvil, hardhat, a provider); None: in-process chain.
    chain_rpc_url: str | None = None
    # A deployed ClaimRegistry; None: deploy one at start-up (its address is logged).
    chain_contract_address: str | None = None
    # Private keys (hex) of the hospital's account (anchors) and the insurer's (status changes).
    # None on a JSON-RPC node: its first and second unlocked accounts (``eth_accounts``).
    chain_hospital_key: SecretStr | None = None
    chain_insurer_key: SecretStr | None = None
    # Seconds for one JSON-RPC request, and for a transaction to be mined.
    chain_request_timeout: float = Field(default=10.0, gt=0, le=120)
    chain_receipt_timeout: float = Field(default=60.0, gt=0, le=600)
