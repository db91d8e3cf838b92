"""The replay window: ordered, bounded, and honest about what it no longer holds."""

from __future__ import annotations

import pytest

from subgraphs.clinical.live.errors import PositionTooOld
from subgraphs.clinical.live.replay import FeedEvent, ReplayBuffer
from subgraphs.common.events.envelope import EventEnvelope


def _event(position: int) -> FeedEvent:
    envelope = EventEnvelope(type="t", aggregate_type="a", aggregate_id="1", actor="x")
    return FeedEvent(topic="topic", position=position, envelope=envelope)


def test_resume_after_a_position() -> None:
    buffer = ReplayBuffer(capacity=10)
    buffer.reset(5)
    for position in (5, 6, 8, 9):  # offsets may have gaps
        buffer.append(_event(position))
    assert [event.position for event in buffer.after(6)] == [8, 9]
    assert [event.position for event in buffer.after(4)] == [5, 6, 8, 9]
    assert buffer.after(9) == []
    assert buffer.after(100) == []  # a position not reached yet: wait for it
    with pytest.raises(PositionTooOld) as caught:
        buffer.after(3)  # position 4 was never in the window
    assert caught.value.as_extensions() == {
        "code": "POSITION_TOO_OLD",
        "since": 3,
        "oldestPosition": 5,
    }


def test_eviction_moves_the_floor() -> None:
    buffer = ReplayBuffer(capacity=3)
    for position in range(6):
        buffer.append(_event(position))
    assert len(buffer) == 3
    assert buffer.floor == 3
    assert [event.position for event in buffer.after(2)] == [3, 4, 5]
    with pytest.raises(PositionTooOld):
        buffer.after(1)


def test_redeliveries_are_ignored() -> None:
    buffer = ReplayBuffer(capacity=3)
    buffer.append(_event(0))
    buffer.append(_event(1))
    buffer.append(_event(1))
    assert [event.position for event in buffer.after(-1)] == [0, 1]
