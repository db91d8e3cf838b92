"""Starting and stopping the process's live feed with the service (``app.state.clinical_live``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from subgraphs.clinical.live.feed import LiveFeed
from subgraphs.clinical.live.settings import LiveSettings
from subgraphs.clinical.live.topics import LIVE_TOPICS
from subgraphs.clinical.records.runtime import runtime_of
from subgraphs.common.app import Lifespan, ServiceState
from subgraphs.common.context import RequestContext

__all__ = ["LiveRuntime", "feed_of", "live_feed_lifespan"]

_STATE_ATTRIBUTE = "clinical_live"


class LiveRuntime:
    """The feed and the settings subscriptions need at run time."""

    def __init__(self, feed: LiveFeed, settings: LiveSettings) -> None:
        self.feed = feed
        self.settings = settings


def live_feed_lifespan(settings: LiveSettings) -> Lifespan:
    """Follow the live topics for as long as the service runs.

    The feed starts in the background: the service comes up even while the broker is down,
    and subscriptions answer LIVE_FEED_UNAVAILABLE until the feed has caught up.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI, state: ServiceState) -> AsyncIterator[None]:
        feed = LiveFeed(
            bootstrap_servers=state.settings.kafka_bootstrap_servers,
            topics=LIVE_TOPICS,
            replay_capacity=settings.live_replay_capacity,
            queue_size=settings.live_subscriber_queue,
        )
        await feed.start()
        setattr(app.state, _STATE_ATTRIBUTE, LiveRuntime(feed, settings))
        try:
            yield
        finally:
            delattr(app.state, _STATE_ATTRIBUTE)
            await feed.stop()

    return lifespan


def feed_of(context: RequestContext) -> LiveRuntime:
    """The running service's live feed (set up by :func:`live_feed_lifespan`)."""
    return runtime_of(context, _STATE_ATTRIBUTE, LiveRuntime, lifespan="live_feed_lifespan")
