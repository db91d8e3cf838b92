"""A subscriber's queue: results first, then what ends it; a slow reader is told where to resume;
results handed straight to an idle sink keep their order when a send blocks."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from router.http.eager import start_eagerly
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


class _Sink:
    """Sends at once unless ``blocked`` is set, then waits for ``release``, as a socket whose
    client stopped reading does; records what went out in order."""

    def __init__(self) -> None:
        self.sent: list[Any] = []
        self.blocked = False
        self.release = asyncio.Event()

    async def send(self, item: StreamItem) -> None:
        if self.blocked:
            await self.release.wait()
        self.sent.append(item.position)

    def __call__(self, item: StreamItem) -> asyncio.Task[None] | None:
        return start_eagerly(self.send(item))


async def test_results_go_to_an_idle_sink_in_the_broadcasting_step() -> None:
    subscriber = Subscriber(_Stream(), 4)  # type: ignore[arg-type]
    sink = _Sink()
    subscriber.deliver_directly(sink)
    subscriber.offer(_result(1))
    subscriber.offer(_result(2))
    assert sink.sent == [1, 2]  # no task switch needed
    assert subscriber.last_position == 2


async def test_results_wait_behind_a_send_that_blocks_and_keep_their_order() -> None:
    subscriber = Subscriber(_Stream(), 4)  # type: ignore[arg-type]
    sink = _Sink()
    subscriber.deliver_directly(sink)
    sink.blocked = True
    subscriber.offer(_result(1))  # handed to the sink, which waits
    subscriber.offer(_result(2))  # queued behind it
    subscriber.offer(_result(3))
    subscriber.offer(StreamItem("complete"))
    reader = asyncio.create_task(_read(subscriber))
    await asyncio.sleep(0.01)
    assert sink.sent == []
    assert not reader.done()  # the queued results wait for the blocked send
    sink.release.set()
    items = await reader
    assert sink.sent == [1]
    assert [(kind, position) for kind, position, _ in items] == [
        ("next", 2),
        ("next", 3),
        ("complete", None),
    ]


async def test_a_sink_that_fails_leaves_the_result_to_the_queue(
    caplog: pytest.LogCaptureFixture,
) -> None:
    subscriber = Subscriber(_Stream(), 4)  # type: ignore[arg-type]

    def broken(item: StreamItem) -> asyncio.Task[None] | None:
        raise ValueError("socket gone wrong")

    subscriber.deliver_directly(broken)
    subscriber.offer(_result(1))  # the broadcast goes on; the result waits in the queue
    subscriber.offer(StreamItem("complete"))
    assert [(kind, position) for kind, position, _ in await _read(subscriber)] == [
        ("next", 1),
        ("complete", None),
    ]
    assert "could not hand a result" in caplog.text
