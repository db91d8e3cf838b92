"""Analytics settings, mixed into the clinical service's settings (prefix ``CLINICAL_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["AnalyticsSettings"]


class AnalyticsSettings(BaseSettings):
    """``CLINICAL_ANALYTICS_ENABLED``, ``..._GROUP``, ``..._LIVE_INTERVAL``, ``..._MAX_DAYS``."""

    model_config = SettingsConfigDict(env_prefix="CLINICAL_", extra="ignore", frozen=True)

    # False: this replica consumes no event for the analytics (the queries still read the store).
    analytics_enabled: bool = True
    # The consumer group keeping the counters (one per clinical database).
    analytics_group: str = Field(default="clinical-analytics", min_length=1, max_length=200)
    # Seconds between two looks at today's figures for ``analyticsToday`` subscribers.
    analytics_live_interval: float = Field(default=1.0, gt=0, le=60)
    # The longest span one ``analytics`` query may cover (days).
    analytics_max_days: int = Field(default=366, ge=1, le=3660)
