"""What the chain can refuse, as domain errors with stable codes (``extensions.reason``)."""

from __future__ import annotations

from subgraphs.common.errors import (
    Conflict,
    DomainError,
    ErrorCode,
    Forbidden,
    NotFound,
    ServiceUnavailable,
)

__all__ = [
    "ChainAccountRejected",
    "ChainMisconfigured",
    "ChainTransitionRejected",
    "ChainUnavailable",
    "ClaimAlreadyAnchored",
    "ClaimNotAnchored",
]


class ClaimAlreadyAnchored(Conflict):
    """The contract already holds this claim hash (``DuplicateClaim``)."""

    def __init__(self, claim_hash: str) -> None:
        super().__init__(
            "This claim was already submitted: the registry holds its hash.",
            extensions={"reason": "DUPLICATE_CLAIM", "claimHash": claim_hash},
        )
        self.claim_hash = claim_hash


class ClaimNotAnchored(NotFound):
    """The contract has never seen this claim hash (``UnknownClaim``)."""

    def __init__(self, claim_hash: str) -> None:
        super().__init__(
            "The claim registry holds no such claim.",
            extensions={"reason": "CLAIM_NOT_ANCHORED", "claimHash": claim_hash},
        )


class ChainTransitionRejected(Conflict):
    """The contract refused the status change (``InvalidTransition``)."""

    def __init__(self, claim_hash: str, current: str, requested: str) -> None:
        super().__init__(
            f"The claim registry refuses {current} -> {requested}.",
            extensions={
                "reason": "INVALID_TRANSITION",
                "claimHash": claim_hash,
                "from": current,
                "to": requested,
            },
        )


class ChainAccountRejected(Forbidden):
    """The sending account may not do this (``NotHospital`` / ``NotInsurer``)."""

    def __init__(self, role: str, account: str) -> None:
        super().__init__(
            f"Only the {role}'s account may do this on the claim registry.",
            extensions={"reason": f"NOT_{role.upper()}", "account": account},
        )


class ChainMisconfigured(DomainError):
    """The configured node, contract or accounts do not fit together."""

    code = ErrorCode.INTERNAL_SERVER_ERROR
    http_status = 500


class ChainUnavailable(ServiceUnavailable):
    """The chain node could not be reached or failed; nothing was anchored."""
