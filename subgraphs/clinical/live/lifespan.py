"""Starting and stopping the process's live feed with the service (``app.state.clinical_live``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from subgraphs.clinical.live.errors import LiveFeedUnavailable
from subgraphs.clinical.live.feed import LiveFeed
from subgraphs.clinical.live.settings import LiveSettings
from subgraphs.clinical.live.topics import LIVE_TOPICS
from subgraphs.clinical.runtime import runtime_of
from subgraphs.common.app import ServiceState
from subgraphs.common.context import RequestContext

__all__ = ["LiveFeedHook", "LiveRuntime", "feed_of", "live_feed_lifespan"]

_STATE_ATTRIBUTE = "clinical_live"


class LiveRuntime:
    """The feed and the settings subscriptions need at run time."""

    def __init__(self, feed: LiveFeed, settings: LiveSettings) -> None:
        self.feed = feed
        self.settings = settings


class LiveFeedHook:
    """The live feed as a ``create_service_app`` lifespan plus a readiness check.

    The feed starts in the background: the service comes up even while the broker is down,
    subscriptions answer LIVE_FEED_UNAVAILABLE and :meth:`check_ready` fails until the feed
    has caught up.
    """

    def __init__(self, settings: LiveSettings) -> None:
        self.settings = settings
        self.runtime: LiveRuntime | None = None

    @asynccontextmanager
    async def __call__(self, app: FastAPI, state: ServiceState) -> AsyncIterator[None]:
        if not self.settings.live_enabled:
            setattr(app.state, _STATE_ATTRIBUTE, None)  # subscriptions: LIVE_FEED_UNAVAILABLE
            try:
                yield
            finally:
                delattr(app.state, _STATE_ATTRIBUTE)
            return
        feed = LiveFeed(
            database=state.database,
            bootstrap_servers=state.settings.kafka_bootstrap_servers,
            topics=LIVE_TOPICS,
            replay_capacity=self.settings.live_replay_capacity,
            queue_size=self.settings.live_subscriber_queue,
            fetch_max_wait_ms=self.settings.live_fetch_max_wait_ms,
        )
        await feed.start()
        self.runtime = LiveRuntime(feed, self.settings)
        setattr(app.state, _STATE_ATTRIBUTE, self.runtime)
        try:
            yield
        finally:
            delattr(app.state, _STATE_ATTRIBUTE)
            self.runtime = None
            await feed.stop()

    async def check_ready(self) -> None:
        """Ready once the feed follows the broker (always, when the feed is disabled)."""
        if not self.settings.live_enabled:
            return
        if self.runtime is None:
            raise ConnectionError("the live feed is not running")
        await self.runtime.feed.check()


def live_feed_lifespan(settings: LiveSettings) -> LiveFeedHook:
    """Follow the live topics for as long as the service runs (see :class:`LiveFeedHook`)."""
    return LiveFeedHook(settings)


def feed_of(context: RequestContext) -> LiveRuntime:
    """The running service's live feed (set up by :func:`live_feed_lifespan`).

    LIVE_FEED_UNAVAILABLE on a replica whose feed is disabled (``CLINICAL_LIVE_ENABLED=false``).
    """
    request = context.request
    if request is not None and getattr(request.app.state, _STATE_ATTRIBUTE, False) is None:
        raise LiveFeedUnavailable("this replica serves no subscriptions")
    return runtime_of(context, _STATE_ATTRIBUTE, LiveRuntime, lifespan="live_feed_lifespan")
