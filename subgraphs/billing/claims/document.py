"""A claim's canonical document and its hash: what the chain holds (RFC 8785 canonical JSON, SHA-256).

The document carries what the insurer pays on (invoice, patient, payer, policy, codes, amount),
not the claim's id or time: submitting the same claim twice yields the same hash, which the
contract refuses. Status is recorded on chain separately (``setStatus``).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from subgraphs.common.canonical import canonical_json

__all__ = ["DOCUMENT_VERSION", "ClaimDocument", "hash_hex"]

DOCUMENT_VERSION = 1


@dataclass(frozen=True, slots=True)
class ClaimDocument:
    """The fields of a claim that are anchored."""

    invoice_id: uuid.UUID
    patient_id: uuid.UUID
    payer: str
    policy_number: str
    codes: Sequence[str]
    amount_minor: int
    currency: str

    def canonical(self) -> bytes:
        """The claim as RFC 8785 canonical JSON (UTF-8)."""
        return canonical_json(
            {
                "v": DOCUMENT_VERSION,
                "invoiceId": str(self.invoice_id),
                "patientId": str(self.patient_id),
                "payer": self.payer,
                "policyNumber": self.policy_number,
                "codes": list(self.codes),
                "amountMinor": self.amount_minor,
                "currency": self.currency,
            }
        )

    def digest(self) -> bytes:
        """SHA-256 of :meth:`canonical`: the 32 bytes anchored in ``ClaimRegistry``."""
        return hashlib.sha256(self.canonical()).digest()


def hash_hex(digest: bytes) -> str:
    """``0x``-prefixed lower-case hex, as stored and shown."""
    return "0x" + digest.hex()
