"""ClaimRegistry on the in-process chain: anchor once, status by the insurer only, read back."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from pydantic import SecretStr

from subgraphs.billing.claims.chain import ChainSettings, ChainStatus, ClaimRegistry
from subgraphs.billing.claims.chain.errors import (
    ChainAccountRejected,
    ChainTransitionRejected,
    ChainUnavailable,
    ClaimAlreadyAnchored,
    ClaimNotAnchored,
)


def claim_hash(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


async def test_a_claim_hash_is_anchored_once(registry: ClaimRegistry) -> None:
    digest = claim_hash("anchored once")
    tx = await registry.anchor(digest)
    assert tx.tx_hash.startswith("0x")
    assert tx.block_number > 0
    assert (await registry.claim(digest)).status is ChainStatus.SUBMITTED
    with pytest.raises(ClaimAlreadyAnchored) as raised:
        await registry.anchor(digest)
    assert raised.value.as_extensions()["reason"] == "DUPLICATE_CLAIM"
    assert raised.value.as_extensions()["code"] == "CONFLICT"
    assert await registry.anchored_hash(tx.tx_hash) == digest
    assert await registry.find_anchor(digest) == tx


async def test_statuses_follow_the_contract_lifecycle(registry: ClaimRegistry) -> None:
    digest = claim_hash("lifecycle")
    await registry.anchor(digest)
    with pytest.raises(ChainTransitionRejected):
        await registry.set_status(digest, ChainStatus.PAID)
    for status in (ChainStatus.VALIDATED, ChainStatus.APPROVED, ChainStatus.PAID):
        change = await registry.set_status(digest, status)
        assert await registry.anchored_hash(change.tx_hash) is None  # not an anchoring
    held = await registry.claim(digest)
    assert held.status is ChainStatus.PAID
    assert held.updated_at >= held.anchored_at > 0
    with pytest.raises(ChainTransitionRejected):
        await registry.set_status(digest, ChainStatus.DENIED)


async def test_unknown_hashes_and_transactions(registry: ClaimRegistry) -> None:
    digest = claim_hash("never anchored")
    assert (await registry.claim(digest)).status is ChainStatus.NONE
    assert await registry.find_anchor(digest) is None
    assert await registry.anchored_hash("0x" + "00" * 32) is None
    with pytest.raises(ClaimNotAnchored):
        await registry.set_status(digest, ChainStatus.VALIDATED)


async def test_only_the_insurer_changes_status(registry: ClaimRegistry) -> None:
    client = await registry.start()
    digest = claim_hash("insurer only")
    await registry.anchor(digest)
    fn = client.contract.functions.setStatus(digest, int(ChainStatus.VALIDATED))
    with pytest.raises(ChainAccountRejected) as raised:
        client._transact(fn, client.hospital, digest)
    assert raised.value.as_extensions()["reason"] == "NOT_INSURER"
    with pytest.raises(ChainAccountRejected):
        client._transact(client.contract.functions.anchor(digest), client.insurer, digest)


async def test_calls_do_not_block_the_event_loop(registry: ClaimRegistry) -> None:
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    ticker = asyncio.create_task(tick())
    await asyncio.gather(*(registry.anchor(claim_hash(f"loop {i}")) for i in range(5)))
    ticker.cancel()
    assert ticks >= 5


async def test_configured_keys_sign_transactions_locally() -> None:
    # eth-tester funds the accounts of keys 0x..01 to 0x..0a; these two are not the defaults.
    settings = ChainSettings(
        chain_hospital_key=SecretStr("0x" + "00" * 31 + "03"),
        chain_insurer_key=SecretStr("0x" + "00" * 31 + "04"),
    )
    registry = ClaimRegistry(settings)
    try:
        client = await registry.start()
        assert client.hospital != client.w3.eth.accounts[0]
        digest = claim_hash("signed")
        await registry.anchor(digest)
        await registry.set_status(digest, ChainStatus.VALIDATED)
        assert (await registry.claim(digest)).status is ChainStatus.VALIDATED
    finally:
        await registry.close()


async def test_an_unreachable_node_is_unavailable_not_a_crash() -> None:
    settings = ChainSettings(chain_rpc_url="http://127.0.0.1:9", chain_request_timeout=1)
    registry = ClaimRegistry(settings)
    try:
        with pytest.raises(ChainUnavailable) as raised:
            await registry.start()
        assert raised.value.as_extensions()["code"] == "SERVICE_UNAVAILABLE"
    finally:
        await registry.close()
