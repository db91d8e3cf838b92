"""Decode a contract revert (Solidity custom errors) from either kind of exception web3 raises.

A JSON-RPC node reports a revert as web3's ``ContractLogicError`` with hex ``data``; the in-process
``EthereumTesterProvider`` raises ``eth_tester.exceptions.TransactionFailed`` whose message carries
the raw revert bytes (``execution reverted: b'...'``). Both come out here as (error name, args).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import decode
from eth_tester.exceptions import TransactionFailed
from eth_utils.crypto import keccak
from web3.exceptions import ContractLogicError

__all__ = ["Revert", "RevertDecoder", "revert_data"]

_REVERTED = "execution reverted: "


@dataclass(frozen=True, slots=True)
class Revert:
    """A decoded custom error: its name and its arguments in ABI order."""

    name: str
    args: tuple[Any, ...]


def revert_data(exc: BaseException) -> bytes | None:
    """The raw revert bytes an exception carries, or None when it carries none (or a reason string)."""
    if isinstance(exc, ContractLogicError):
        data: Any = exc.data
        if isinstance(data, Mapping):
            data = data.get("data")
        if isinstance(data, str) and data.startswith("0x"):
            try:
                return bytes.fromhex(data[2:])
            except ValueError:
                return None
        return None
    if isinstance(exc, TransactionFailed) and exc.args:
        message = str(exc.args[0])
        if message.startswith(_REVERTED):
            try:
                literal = ast.literal_eval(message.removeprefix(_REVERTED))
            except (ValueError, SyntaxError):
                return None
            return literal if isinstance(literal, bytes) else None
    return None


class RevertDecoder:
    """Matches revert bytes against the custom errors of one contract's ABI."""

    def __init__(self, abi: Sequence[Mapping[str, Any]]) -> None:
        self._errors: dict[bytes, tuple[str, list[str]]] = {}
        for entry in abi:
            if entry.get("type") != "error":
                continue
            types = [str(item["type"]) for item in entry.get("inputs", [])]
            signature = f"{entry['name']}({','.join(types)})"
            self._errors[keccak(text=signature)[:4]] = (str(entry["name"]), types)

    def decode(self, exc: BaseException) -> Revert | None:
        """The custom error behind ``exc``, or None when it is not one of this contract's."""
        data = revert_data(exc)
        if data is None or len(data) < 4:
            return None
        known = self._errors.get(data[:4])
        if known is None:
            return None
        name, types = known
        try:
            return Revert(name, tuple(decode(types, data[4:])))
        except Exception:  # noqa: BLE001 - malformed revert data is "not ours", never a crash
            return None
