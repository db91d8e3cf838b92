"""Capped exponential backoff with jitter."""

from __future__ import annotations

import pytest

from subgraphs.common.events.backoff import Backoff


def test_the_ceiling_doubles_up_to_the_cap() -> None:
    backoff = Backoff(initial=0.1, maximum=1.0)
    assert [backoff.ceiling(n) for n in range(1, 7)] == pytest.approx(
        [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    )
    assert backoff.ceiling(10_000) == 1.0  # no overflow after a long outage


def test_delays_are_jittered_within_the_upper_half() -> None:
    backoff = Backoff(initial=1.0, maximum=8.0)
    delays = [backoff.delay(3) for _ in range(200)]
    assert all(2.0 <= delay <= 4.0 for delay in delays)
    assert len(set(delays)) > 100


@pytest.mark.parametrize(
    ("initial", "maximum", "multiplier"), [(0, 1, 2), (2, 1, 2), (0.1, 1, 0.5)]
)
def test_nonsense_is_refused(initial: float, maximum: float, multiplier: float) -> None:
    with pytest.raises(ValueError, match="backoff"):
        Backoff(initial=initial, maximum=maximum, multiplier=multiplier)
