"""The blocking ``ClaimRegistry`` client: connect (deploy or attach), anchor, read, change status.

web3 calls block (about 47 ms a transaction on the in-process chain); :mod:`.registry` runs this
client on its own thread so the event loop never waits on it.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_tester.exceptions import TransactionFailed
from eth_typing import ChecksumAddress
from hexbytes import HexBytes
from web3 import EthereumTesterProvider, HTTPProvider, Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError, Web3Exception
from web3.logs import DISCARD
from web3.middleware import SignAndSendRawMiddlewareBuilder

from subgraphs.billing.claims.chain.artifact import ContractArtifact, load_artifact
from subgraphs.billing.claims.chain.errors import (
    ChainAccountRejected,
    ChainMisconfigured,
    ChainTransitionRejected,
    ChainUnavailable,
    ClaimAlreadyAnchored,
    ClaimNotAnchored,
)
from subgraphs.billing.claims.chain.reverts import Revert, RevertDecoder
from subgraphs.billing.claims.chain.settings import ChainSettings
from subgraphs.billing.claims.chain.status import ChainStatus
from subgraphs.common.errors import DomainError

__all__ = [
    "INTERPRETER_RECURSION_LIMIT",
    "AnchoredClaim",
    "ChainTransaction",
    "ClaimRegistryClient",
]

# py-evm and py_ecc raise the interpreter's recursion limit to 100,000 when imported (above). With
# that limit, deeply nested input (a JSON body, a GraphQL document) overflows the C stack and kills
# the whole process instead of raising RecursionError, so billing keeps Python's default; our
# contract makes no nested calls, so the EVM never needs the deep recursion.
INTERPRETER_RECURSION_LIMIT = 1000


def _keep_recursion_limit() -> None:
    if sys.getrecursionlimit() > INTERPRETER_RECURSION_LIMIT:
        sys.setrecursionlimit(INTERPRETER_RECURSION_LIMIT)


_keep_recursion_limit()

_log = logging.getLogger(__name__)
_T = TypeVar("_T")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


@dataclass(frozen=True, slots=True)
class ChainTransaction:
    """A mined transaction of the registry."""

    tx_hash: str
    block_number: int


@dataclass(frozen=True, slots=True)
class AnchoredClaim:
    """What the registry holds for one claim hash."""

    status: ChainStatus
    anchored_at: int  # block timestamp, seconds since the epoch (0 when never anchored)
    updated_at: int


def _hex(value: bytes) -> str:
    return "0x" + value.hex()


class ClaimRegistryClient:
    """One web3 connection to one ``ClaimRegistry``; not thread-safe (use it from one thread)."""

    def __init__(
        self,
        w3: Web3,
        contract: Contract,
        *,
        hospital: ChecksumAddress,
        insurer: ChecksumAddress,
        receipt_timeout: float = 60.0,
    ) -> None:
        self.w3 = w3
        self.contract = contract
        self.hospital = hospital
        self.insurer = insurer
        self._receipt_timeout = receipt_timeout
        self._decoder = RevertDecoder(contract.abi)

    # ------------------------------------------------------------------ connecting
    @classmethod
    def connect(
        cls, settings: ChainSettings, *, artifact: ContractArtifact | None = None
    ) -> ClaimRegistryClient:
        """Open the configured chain, then attach to the configured contract or deploy one."""
        artifact = artifact or load_artifact()
        try:
            if settings.chain_rpc_url is None:
                w3 = Web3(EthereumTesterProvider())
                _keep_recursion_limit()  # the backend may import py-evm only now
            else:
                w3 = Web3(
                    HTTPProvider(
                        settings.chain_rpc_url,
                        request_kwargs={"timeout": settings.chain_request_timeout},
                    )
                )
            hospital, insurer = cls._accounts(w3, settings)
            if settings.chain_contract_address:
                contract = cls._attach(w3, artifact, settings.chain_contract_address)
            else:
                contract = cls._deploy(w3, artifact, hospital, insurer, settings)
        except (DomainError, ContractLogicError, TransactionFailed):
            raise
        except (OSError, Web3Exception, ValueError) as exc:
            raise ChainUnavailable(f"The claim registry's chain is unreachable: {exc}") from exc
        client = cls(
            w3,
            contract,
            hospital=hospital,
            insurer=insurer,
            receipt_timeout=settings.chain_receipt_timeout,
        )
        client._check_roles()
        return client

    @staticmethod
    def _accounts(w3: Web3, settings: ChainSettings) -> tuple[ChecksumAddress, ChecksumAddress]:
        keys = [settings.chain_hospital_key, settings.chain_insurer_key]
        signers: list[LocalAccount] = [
            Account.from_key(key.get_secret_value()) for key in keys if key is not None
        ]
        if signers:
            w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(signers), layer=0)
        node_accounts = list(w3.eth.accounts) if len(signers) < len(keys) else []
        chosen: list[ChecksumAddress] = []
        for index, key in enumerate(keys):
            if key is not None:
                chosen.append(Account.from_key(key.get_secret_value()).address)
            elif len(node_accounts) > index:
                chosen.append(node_accounts[index])
            else:
                role = ("hospital", "insurer")[index]
                raise ChainMisconfigured(
                    f"No {role} account: set BILLING_CHAIN_{role.upper()}_KEY "
                    "(the node has too few unlocked accounts)."
                )
        return chosen[0], chosen[1]

    @staticmethod
    def _attach(w3: Web3, artifact: ContractArtifact, address: str) -> Contract:
        checksum = Web3.to_checksum_address(address)
        if not w3.eth.get_code(checksum):
            raise ChainMisconfigured(f"No contract at BILLING_CHAIN_CONTRACT_ADDRESS {checksum}.")
        return w3.eth.contract(address=checksum, abi=artifact.abi)

    @staticmethod
    def _deploy(
        w3: Web3,
        artifact: ContractArtifact,
        hospital: ChecksumAddress,
        insurer: ChecksumAddress,
        settings: ChainSettings,
    ) -> Contract:
        factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        tx_hash = factory.constructor(insurer).transact({"from": hospital})
        receipt = w3.eth.wait_for_transaction_receipt(
            tx_hash, timeout=settings.chain_receipt_timeout
        )
        address = receipt["contractAddress"]
        if receipt["status"] != 1 or address is None:
            raise ChainMisconfigured("Deploying ClaimRegistry failed.")
        _log.info("ClaimRegistry deployed at %s (insurer %s)", address, insurer)
        return w3.eth.contract(address=address, abi=artifact.abi)

    def _check_roles(self) -> None:
        hospital = self._call(lambda: self.contract.functions.hospital().call())
        insurer = self._call(lambda: self.contract.functions.insurer().call())
        if (hospital, insurer) != (self.hospital, self.insurer):
            raise ChainMisconfigured(
                f"ClaimRegistry {self.contract.address} belongs to hospital {hospital} and "
                f"insurer {insurer}, not to the configured accounts."
            )

    # ------------------------------------------------------------------ operations
    def anchor(self, claim_hash: bytes) -> ChainTransaction:
        """Anchor ``claim_hash``; :class:`ClaimAlreadyAnchored` when the contract holds it."""
        return self._transact(self.contract.functions.anchor(claim_hash), self.hospital, claim_hash)

    def set_status(self, claim_hash: bytes, status: ChainStatus) -> ChainTransaction:
        """Record ``status`` as the insurer's account; the contract checks the transition."""
        fn = self.contract.functions.setStatus(claim_hash, int(status))
        return self._transact(fn, self.insurer, claim_hash)

    def _registry(self, address: str | None) -> Contract | None:
        """This registry, another ``ClaimRegistry`` at ``address`` on this chain, or None when
        ``address`` is no address at all."""
        if address is None or address == self.contract.address:
            return self.contract
        if not _ADDRESS.fullmatch(address):
            return None
        return self.w3.eth.contract(
            address=Web3.to_checksum_address(address), abi=self.contract.abi
        )

    def claim(self, claim_hash: bytes, *, address: str | None = None) -> AnchoredClaim:
        """What the registry (or the one at ``address``) holds for ``claim_hash``.

        Status NONE when the hash was never anchored there.
        """
        registry = self._registry(address)
        if registry is None:
            return AnchoredClaim(ChainStatus.NONE, 0, 0)
        status, anchored_at, updated_at = self._call(
            lambda: registry.functions.claimOf(claim_hash).call()
        )
        return AnchoredClaim(ChainStatus(status), int(anchored_at), int(updated_at))

    def anchored_hash(self, tx_hash: str, *, address: str | None = None) -> bytes | None:
        """The claim hash transaction ``tx_hash`` anchored in the registry, or None."""
        registry = self._registry(address)
        if registry is None:
            return None

        def read() -> bytes | None:
            try:
                receipt = self.w3.eth.get_transaction_receipt(HexBytes(tx_hash))
            except Web3Exception:  # TransactionNotFound and friends: not on this chain
                return None
            events = registry.events.ClaimAnchored().process_receipt(receipt, errors=DISCARD)
            for event in events:
                if event["address"] == registry.address:
                    return bytes(event["args"]["claimHash"])
            return None

        return self._call(read)

    def find_status_change(self, claim_hash: bytes, status: ChainStatus) -> ChainTransaction | None:
        """The transaction that moved ``claim_hash`` to ``status`` (its ``ClaimStatusChanged``)."""

        def read() -> ChainTransaction | None:
            logs = self.contract.events.ClaimStatusChanged().get_logs(
                from_block=0, argument_filters={"claimHash": claim_hash}
            )
            for log in logs:
                if log["args"]["to"] == status:
                    return ChainTransaction(_hex(bytes(log["transactionHash"])), log["blockNumber"])
            return None

        return self._call(read)

    def find_anchor(self, claim_hash: bytes) -> ChainTransaction | None:
        """The transaction that anchored ``claim_hash`` (from its ``ClaimAnchored`` event)."""

        def read() -> ChainTransaction | None:
            logs = self.contract.events.ClaimAnchored().get_logs(
                from_block=0, argument_filters={"claimHash": claim_hash}
            )
            if not logs:
                return None
            return ChainTransaction(_hex(bytes(logs[0]["transactionHash"])), logs[0]["blockNumber"])

        return self._call(read)

    # ------------------------------------------------------------------ plumbing
    def _transact(
        self,
        fn: Any,
        sender: ChecksumAddress,
        claim_hash: bytes,
    ) -> ChainTransaction:
        def send() -> ChainTransaction:
            tx_hash = fn.transact({"from": sender})
            receipt = self.w3.eth.wait_for_transaction_receipt(
                tx_hash, timeout=self._receipt_timeout
            )
            if receipt["status"] != 1:
                # Mined but reverted (a race between two senders): replay it to learn why.
                fn.call({"from": sender})
                raise ChainMisconfigured("The claim registry reverted the transaction.")
            return ChainTransaction(_hex(bytes(tx_hash)), int(receipt["blockNumber"]))

        return self._call(send, claim_hash=claim_hash)

    def _call(
        self,
        operation: Callable[[], _T],
        *,
        claim_hash: bytes | None = None,
    ) -> _T:
        try:
            return operation()
        except (ContractLogicError, TransactionFailed) as exc:
            raise self._domain_error(exc, claim_hash) from exc
        except DomainError:
            raise
        except (OSError, Web3Exception) as exc:
            raise ChainUnavailable(f"The claim registry's chain failed: {exc}") from exc

    def _domain_error(self, exc: Exception, claim_hash: bytes | None) -> DomainError:
        revert: Revert | None = self._decoder.decode(exc)
        if revert is None:
            return ChainMisconfigured(f"The claim registry reverted: {exc}")
        build = _REVERTS.get(revert.name)
        if build is None:
            return ChainMisconfigured(f"The claim registry reverted with {revert.name}.")
        return build(revert.args, _hex(claim_hash) if claim_hash is not None else "")


def _transition(args: tuple[Any, ...], shown: str) -> DomainError:
    return ChainTransitionRejected(shown, ChainStatus(args[1]).name, ChainStatus(args[2]).name)


# The contract's custom errors -> domain errors: (decoded args, the claim hash shown) -> error.
_REVERTS: dict[str, Callable[[tuple[Any, ...], str], DomainError]] = {
    "DuplicateClaim": lambda args, _: ClaimAlreadyAnchored(_hex(args[0])),
    "UnknownClaim": lambda args, _: ClaimNotAnchored(_hex(args[0])),
    "InvalidTransition": _transition,
    "NotHospital": lambda args, _: ChainAccountRejected("hospital", str(args[0])),
    "NotInsurer": lambda args, _: ChainAccountRejected("insurer", str(args[0])),
}
