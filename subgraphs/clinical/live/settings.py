"""Live subscription settings, mixed into the clinical service's settings (prefix ``CLINICAL_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["LiveSettings"]


class LiveSettings(BaseSettings):
    """``CLINICAL_LIVE_ENABLED``, ``..._REPLAY_CAPACITY``, ``..._SUBSCRIBER_QUEUE``, ``..._READY_TIMEOUT``,
    ``..._FETCH_MAX_WAIT_MS``."""

    model_config = SettingsConfigDict(env_prefix="CLINICAL_", extra="ignore", frozen=True)

    # False: this replica follows no live topic and its subscriptions answer LIVE_FEED_UNAVAILABLE
    # (e.g. a replica that only serves queries and mutations).
    live_enabled: bool = True

    # Events kept per topic for clients resuming with ``since``; older positions are refused.
    live_replay_capacity: int = Field(default=10_000, ge=1, le=1_000_000)
    # Events a slow subscriber may have pending before it is dropped (it resumes with ``since``).
    live_subscriber_queue: int = Field(default=1_000, ge=1, le=100_000)
    # How long a new subscription waits for a (re)starting feed before LIVE_FEED_UNAVAILABLE.
    live_ready_timeout: float = Field(default=5.0, gt=0, le=60)
    # Longest a fetch of the live topics waits at the broker for new events. Tansu answers a
    # waiting fetch only when this runs out (about 200 ms with aiokafka's default), which was
    # most of the commit -> subscriber delay; each idle fetch costs a little CPU on both sides.
    live_fetch_max_wait_ms: int = Field(default=20, ge=1, le=500)
