"""A claim's status as ``ClaimRegistry.sol`` numbers it (``enum Status``)."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ChainStatus"]


class ChainStatus(IntEnum):
    """The contract's ``Status``; ``NONE`` means the hash was never anchored."""

    NONE = 0
    SUBMITTED = 1
    VALIDATED = 2
    APPROVED = 3
    DENIED = 4
    PAID = 5
