"""Capped exponential backoff with jitter, for retrying the broker, the database or a handler."""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["Backoff"]


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before retry ``n`` (1-based): ``initial * multiplier**(n-1)``, capped at ``maximum``.

    The delay is drawn uniformly from the upper half of that ceiling ("equal jitter"), so that
    processes failing together do not retry in lockstep, yet never retry sooner than half the
    ceiling.
    """

    initial: float = 0.1
    maximum: float = 30.0
    multiplier: float = 2.0

    def __post_init__(self) -> None:
        if self.initial <= 0 or self.maximum < self.initial or self.multiplier < 1:
            raise ValueError("backoff needs 0 < initial <= maximum and multiplier >= 1")

    def ceiling(self, attempt: int) -> float:
        """The longest delay before retry ``attempt``."""
        exponent = max(attempt, 1) - 1
        # Stop growing once past the cap (also avoids float overflow on long outages).
        if self.initial * self.multiplier ** min(exponent, 64) >= self.maximum:
            return self.maximum
        return self.initial * self.multiplier**exponent

    def delay(self, attempt: int) -> float:
        """A jittered delay before retry ``attempt``."""
        ceiling = self.ceiling(attempt)
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311 (jitter, not cryptography)
