"""A subscriber's queue: results first, then what ends it; a slow reader is told where to resume."""

from __future__ import annotations

from typing import Any

from router.pipeline.subscriptions import StreamItem, Subscriber


class _Stream:
    def __init__(self) -> None:
        self.left: list[Subscriber] = []

    def leave(self, subscriber: Subscriber) -> None:
        self.left.append(subscriber)


def _result(position: int) -> StreamItem:
    return StreamItem("next", {"data": {"changed": {"position": position}}}, position)


async def _read(subscriber: Subscriber) -> list[Any]:
    return [(item.kind, item.position, item.payload) async for item in subscriber]


async def test_a_slow_reader_gets_every_queued_result_then_where_to_resume() -> None:
    stream = _Stream()
    subscriber = Subscriber(stream, 2)  # type: ignore[arg-type]
    for position in (1, 2, 3):
        subscriber.offer(_result(position))
    assert stream.left == [subscriber]
    items = await _read(subscriber)
    assert [(kind, position) for kind, position, _ in items] == [
        ("next", 1),
        ("next", 2),
        ("next", None),
        ("complete", None),
    ]
    error = items[2][2]["errors"][0]
    assert error["extensions"] == {"code": "SUBSCRIPTION_LAGGED", "lastPosition": 2}


async def test_shutdown_comes_after_the_results_already_queued() -> None:
    subscriber = Subscriber(_Stream(), 2)  # type: ignore[arg-type]
    subscriber.offer(_result(1))
    subscriber.offer(_result(2))
    subscriber.offer(StreamItem("shutdown"))
    subscriber.offer(_result(3))  # after the end: dropped
    assert [kind for kind, _, _ in await _read(subscriber)] == ["next", "next", "shutdown"]
    assert subscriber.last_position == 2
