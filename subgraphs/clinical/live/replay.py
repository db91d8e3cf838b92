"""A bounded, ordered window of recent feed events, for clients resuming with ``since``."""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass

from subgraphs.clinical.live.errors import PositionTooOld
from subgraphs.common.events.envelope import EventEnvelope

__all__ = ["FeedEvent", "ReplayBuffer"]


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One event of a live topic at its position in the stored log (the same in every process)."""

    topic: str
    position: int
    envelope: EventEnvelope


class ReplayBuffer:
    """The newest ``capacity`` events of one topic, in position order.

    ``floor`` is the lowest position from which the history is complete: every event at or
    after it is in the window. A client that saw everything up to ``since`` can resume iff
    ``since + 1 >= floor``.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._events: deque[FeedEvent] = deque()
        self.floor = 0
        self.next_position = 0

    def reset(self, floor: int) -> None:
        """Forget everything: history is complete from ``floor`` on (nothing seen yet)."""
        self._events.clear()
        self.floor = floor
        self.next_position = floor

    def append(self, event: FeedEvent) -> None:
        if event.position < self.next_position:
            return  # a redelivery after a reconnect: already in the window
        if len(self._events) == self.capacity:
            self.floor = self._events.popleft().position + 1
        self._events.append(event)
        self.next_position = event.position + 1

    def after(self, since: int) -> list[FeedEvent]:
        """Every retained event after ``since``; POSITION_TOO_OLD when some are gone."""
        if since + 1 < self.floor:
            raise PositionTooOld(since=since, oldest=self.floor)
        positions = [event.position for event in self._events]
        return list(self._events)[bisect.bisect_right(positions, since) :]

    def __len__(self) -> int:
        return len(self._events)
