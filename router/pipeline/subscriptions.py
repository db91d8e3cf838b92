"""Running federated subscriptions, one upstream per distinct subscription (Apollo Router's subscription deduplication).

Clients whose subscriptions are the same (query, operation name, variables and authorization)
share one :class:`SharedStream`: one subgraph subscription, each event resolved once (entity
fetches and shaping) and fanned out. A stream whose subgraph socket drops subscribes again from
the last position it delivered (the root field's ``since``), so clients miss nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Hashable
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from router.execution.subscription_client import (
    UpstreamClosed,
    UpstreamRefused,
    subscribe_upstream,
)
from router.pipeline.service import PreparedSubscription
from router.telemetry.router_metrics import SUBSCRIPTIONS

__all__ = ["Sink", "StreamItem", "Subscriber", "SubscriptionHub"]

logger = logging.getLogger("router.subscriptions")

_RETRY_FIRST = 0.1
_RETRY_MAX = 5.0


@dataclass(frozen=True, slots=True)
class StreamItem:
    """What a subscriber receives: a result (``next``), a refusal (``error``, GraphQL errors,
    only before any result), the end (``complete``), or ``shutdown`` (the router is stopping;
    everything before it was delivered)."""

    kind: Literal["next", "error", "complete", "shutdown"]
    payload: Any = None
    position: Any = None
    encoded: bytes | None = None  # the payload as JSON, encoded once for every subscriber

    def text(self) -> str:
        """``encoded`` as text (for text frames)."""
        return self.encoded.decode() if self.encoded is not None else ""


def _error(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, **extensions}}


_WAKE = StreamItem("next")  # wakes a reader waiting on an empty queue for the final items

Sink = Callable[[StreamItem], "asyncio.Task[None] | None"]


class Subscriber:
    """One client subscription: a bounded queue of results, read with ``async for``.

    The items that end it (``complete``, an error, ``shutdown``) never displace a result: they
    come after every result already queued, so a client that resumes with ``since`` set to the
    last position it got misses nothing.
    """

    def __init__(self, stream: SharedStream, queue_size: int) -> None:
        self.stream = stream
        self._queue: asyncio.Queue[StreamItem] = asyncio.Queue(queue_size)
        self._final: list[StreamItem] = []
        self._lagged = False
        self._ended = False
        self.last_position: Any = None
        self._sink: Sink | None = None
        self._sending: asyncio.Task[None] | None = None

    def deliver_directly(self, sink: Sink) -> None:
        """Hand results to ``sink`` as they are broadcast, in the broadcasting step, while
        nothing is queued for this subscriber (the common case): no queue hand-off and no task
        switch per subscriber. ``sink`` returns None when the result went out at once, else
        the task still sending it; results that come meanwhile queue behind it."""
        self._sink = sink

    def offer(self, item: StreamItem) -> None:
        if self._ended:
            return
        if item.kind != "next":
            self._end(item)
            return
        if self._sink is not None and self._queue.empty() and self._idle():
            try:
                self._sending = self._sink(item)
            except Exception:  # a broken socket must not stop the broadcast to the others
                logger.exception("could not hand a result to a subscriber's socket")
                self._sink = None  # this subscriber's results go through its queue from now on
            else:
                if item.position is not None:
                    self.last_position = item.position
                return
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            # a client too slow to read: end its subscription; it resumes with since
            self._lagged = True
            self._end(StreamItem("complete"))
            self.stream.leave(self)

    def _end(self, *items: StreamItem) -> None:
        self._ended = True
        self._final.extend(items)
        if not self._queue.full():
            self._queue.put_nowait(_WAKE)

    def _lagged_error(self) -> StreamItem:
        error = _error(
            "You fell too far behind this subscription: subscribe again with since set to "
            "the last position you received.",
            "SUBSCRIPTION_LAGGED",
            lastPosition=self.last_position,
        )
        return StreamItem("next", {"errors": [error]})

    async def next_item(self, wait: float | None = None) -> StreamItem | None:
        """The next item, or None when none came within ``wait`` seconds."""
        while True:
            if self._sending is not None and not self._idle():
                # a result handed to the sink goes out before anything read here
                await asyncio.shield(self._sending)
            if self._final and self._queue.empty():
                if self._lagged:
                    self._lagged = False
                    return self._lagged_error()
                return self._final.pop(0)
            try:
                item = await asyncio.wait_for(self._queue.get(), wait)
            except TimeoutError:
                return None
            if item is _WAKE:
                continue
            if item.position is not None:
                self.last_position = item.position
            return item

    def __aiter__(self) -> AsyncIterator[StreamItem]:
        return self._items()

    async def _items(self) -> AsyncIterator[StreamItem]:
        while True:
            item = await self.next_item()
            assert item is not None
            yield item
            if item.kind != "next":
                return

    def _idle(self) -> bool:
        sending = self._sending
        if sending is None:
            return True
        if sending.done():
            self._sending = None
            return True
        return False

    def close(self) -> None:
        """The client stopped listening."""
        self._ended = True
        self._sink = None
        self.stream.leave(self)


class SharedStream:
    """One subgraph subscription and every subscriber sharing it."""

    def __init__(
        self,
        hub: SubscriptionHub,
        key: Hashable,
        prepared: PreparedSubscription,
        init_payload: dict[str, Any],
    ) -> None:
        self.hub = hub
        self.key = key
        self.prepared = prepared
        self.init_payload = init_payload
        self.subscribers: set[Subscriber] = set()
        self.history: deque[StreamItem] = deque(maxlen=hub.history_size)
        self.delivered = 0
        self.position: Any = prepared.since
        self.task: asyncio.Task[None] | None = None
        self.ended = False

    @property
    def replay_complete(self) -> bool:
        """Whether ``history`` still holds every result since the stream started."""
        return self.delivered == len(self.history)

    def join(self, subscriber: Subscriber, *, replay: bool) -> None:
        if replay:
            for item in self.history:
                subscriber.offer(item)
        if subscriber not in self.subscribers:
            SUBSCRIPTIONS.inc()
            self.subscribers.add(subscriber)
        if self.task is None:
            self.task = asyncio.create_task(self._run(), name="subscription-upstream")

    def leave(self, subscriber: Subscriber) -> None:
        if subscriber in self.subscribers:
            SUBSCRIPTIONS.dec()
            self.subscribers.discard(subscriber)
        if not self.subscribers and not self.ended:
            self.ended = True
            self.hub.forget(self)
            if self.task is not None and self.task is not asyncio.current_task():
                self.task.cancel()

    def _broadcast(self, item: StreamItem) -> None:
        for subscriber in list(self.subscribers):
            subscriber.offer(item)

    def _finish(self, *items: StreamItem) -> None:
        self.ended = True
        self.hub.forget(self)
        for item in items:
            self._broadcast(item)
        SUBSCRIPTIONS.dec(len(self.subscribers))
        self.subscribers.clear()

    async def _run(self) -> None:
        prepared = self.prepared
        service = prepared.plan.root.service_name
        failures = 0
        while True:
            try:
                async for event in subscribe_upstream(
                    service,
                    prepared.url,
                    prepared.upstream_payload(self.position),
                    init_payload=self.init_payload,
                    headers=prepared.headers,
                    open_timeout=prepared.timeout,
                    max_message_bytes=self.hub.max_message_bytes,
                ):
                    failures = 0
                    await self._deliver(event)
                    if self.ended:  # the last subscriber left while this event was sent
                        return
            except UpstreamRefused as refused:
                errors = [
                    prepared.service.executor.subgraph_error(raw, None, service)
                    for raw in refused.errors
                ]
                if self.delivered:
                    self._finish(StreamItem("next", {"errors": errors}), StreamItem("complete"))
                else:
                    self._finish(StreamItem("error", errors))
                return
            except UpstreamClosed as closed:
                failures += 1
                if not closed.retryable or failures > self.hub.max_retries:
                    error = _error(
                        f"The subscription's subgraph is unavailable ({closed}).",
                        "SUBSCRIPTION_UPSTREAM_UNAVAILABLE",
                        service=service,
                    )
                    if self.delivered:
                        self._finish(
                            StreamItem("next", {"errors": [error]}), StreamItem("complete")
                        )
                    else:
                        self._finish(StreamItem("error", [error]))
                    return
                delay = min(_RETRY_FIRST * 2 ** (failures - 1), _RETRY_MAX)
                logger.warning(
                    "%s; subscribing again from %r in %.1fs", closed, self.position, delay
                )
                await asyncio.sleep(delay)
                continue
            self._finish(StreamItem("complete"))
            return

    async def _deliver(self, event: dict[str, Any]) -> None:
        prepared = self.prepared
        try:
            result, position = await prepared.service.resolve_event(prepared, event)
        except Exception:  # one bad event must not end everyone's stream
            logger.exception("could not resolve a subscription event")
            result = {
                "data": None,
                "errors": [_error("Internal server error", "INTERNAL_SERVER_ERROR")],
            }
            position = None
        if position is not None:
            self.position = position
        item = StreamItem("next", result, position, orjson.dumps(result))
        self.history.append(item)
        self.delivered += 1
        self._broadcast(item)

    async def stop(self) -> None:
        """Stop reading the subgraph; tell subscribers the router is shutting down."""
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        self._finish(StreamItem("shutdown"))


class SubscriptionHub:
    """Every running subscription stream, keyed for deduplication."""

    def __init__(
        self,
        *,
        queue_size: int = 1024,
        history_size: int = 1024,
        max_retries: int = 10,
        max_message_bytes: int = 4 * 1024 * 1024,
        deduplicate: bool = True,
    ) -> None:
        self.queue_size = queue_size
        self.history_size = history_size
        self.max_retries = max_retries
        self.max_message_bytes = max_message_bytes
        self.deduplicate = deduplicate
        self.streams: dict[Hashable, SharedStream] = {}
        self._private: set[SharedStream] = set()
        self.closing = False

    @staticmethod
    def key(
        prepared: PreparedSubscription, query: str, operation_name: str | None, auth: str | None
    ) -> Hashable:
        """Same operation, variables and authorization: one upstream."""
        variables = orjson.dumps(prepared.variables, option=orjson.OPT_SORT_KEYS)
        return (id(prepared.service), query, operation_name, variables, auth)

    def open(
        self,
        prepared: PreparedSubscription,
        *,
        key: Hashable,
        init_payload: dict[str, Any],
    ) -> Subscriber:
        """Subscribe: join an identical running stream, or start one.

        A subscription asking to resume (``since`` given) joins only a stream that started from
        the same position and still holds all it delivered, and gets that replayed first.
        """
        resuming = prepared.since is not None
        stream = self.streams.get(key) if self.deduplicate else None
        if stream is not None and resuming and not stream.replay_complete:
            stream = None
            private = True
        else:
            private = not self.deduplicate
        if stream is None:
            stream = SharedStream(self, key, prepared, init_payload)
            if private:
                self._private.add(stream)
            else:
                self.streams[key] = stream
        subscriber = Subscriber(stream, self.queue_size)
        stream.join(subscriber, replay=resuming)
        return subscriber

    def forget(self, stream: SharedStream) -> None:
        if self.streams.get(stream.key) is stream:
            del self.streams[stream.key]
        self._private.discard(stream)

    @property
    def upstream_count(self) -> int:
        return len(self.streams) + len(self._private)

    async def shutdown(self) -> None:
        """Stop every stream; subscribers then get what they were sent, and ``shutdown``."""
        self.closing = True
        streams = [*self.streams.values(), *self._private]
        await asyncio.gather(*(stream.stop() for stream in streams))
