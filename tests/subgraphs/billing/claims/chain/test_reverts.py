"""Reverts decode the same from web3's ContractLogicError and eth-tester's TransactionFailed."""

from __future__ import annotations

from eth_abi import encode
from eth_tester.exceptions import TransactionFailed
from eth_utils import keccak
from web3.exceptions import ContractLogicError

from subgraphs.billing.claims.chain.artifact import load_artifact
from subgraphs.billing.claims.chain.reverts import Revert, RevertDecoder, revert_data

CLAIM = bytes(range(32))
DUPLICATE = keccak(text="DuplicateClaim(bytes32)")[:4] + encode(["bytes32"], [CLAIM])
TRANSITION = keccak(text="InvalidTransition(bytes32,uint8,uint8)")[:4] + encode(
    ["bytes32", "uint8", "uint8"], [CLAIM, 1, 5]
)


def test_a_json_rpc_revert_carries_hex_data() -> None:
    decoder = RevertDecoder(load_artifact().abi)
    error = ContractLogicError("execution reverted", data="0x" + DUPLICATE.hex())
    assert decoder.decode(error) == Revert("DuplicateClaim", (CLAIM,))
    nested = ContractLogicError("execution reverted", data={"data": "0x" + TRANSITION.hex()})
    assert decoder.decode(nested) == Revert("InvalidTransition", (CLAIM, 1, 5))


def test_an_eth_tester_revert_carries_the_raw_bytes_in_its_message() -> None:
    decoder = RevertDecoder(load_artifact().abi)
    error = TransactionFailed(f"execution reverted: {TRANSITION!r}")
    assert revert_data(error) == TRANSITION
    assert decoder.decode(error) == Revert("InvalidTransition", (CLAIM, 1, 5))


def test_anything_else_is_not_one_of_ours() -> None:
    decoder = RevertDecoder(load_artifact().abi)
    assert decoder.decode(TransactionFailed("out of gas")) is None
    assert decoder.decode(TransactionFailed("execution reverted: __import__('os')")) is None
    assert decoder.decode(ContractLogicError("execution reverted", data="0xzz")) is None
    assert decoder.decode(ContractLogicError("execution reverted", data="0x12345678")) is None
    assert decoder.decode(ContractLogicError("x", data="0x" + DUPLICATE[:10].hex())) is None
    assert decoder.decode(ValueError("no")) is None
