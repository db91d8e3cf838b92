"""Errors of live subscriptions, each with its own stable ``extensions.code``."""

from __future__ import annotations

from subgraphs.common.errors import DomainError, ErrorCode

__all__ = ["LiveFeedUnavailable", "PositionTooOld", "SubscriberLagged"]


class PositionTooOld(DomainError):
    """``since`` is older than the replay window: events after it are no longer all available."""

    code = ErrorCode.POSITION_TOO_OLD
    http_status = 410

    def __init__(self, *, since: int, oldest: int) -> None:
        super().__init__(
            f"Position {since} is older than the replay window, which starts at {oldest}: "
            "reload the current state, then subscribe without since (or with a newer position).",
            extensions={"since": since, "oldestPosition": oldest},
        )


class SubscriberLagged(DomainError):
    """The subscriber read too slowly and was dropped; it resumes with ``since``."""

    code = ErrorCode.SUBSCRIPTION_LAGGED
    http_status = 409

    def __init__(self, *, last_position: int | None) -> None:
        super().__init__(
            "You fell too far behind the live feed: subscribe again with since set to the last "
            "position you received.",
            extensions={"lastPosition": last_position},
        )


class LiveFeedUnavailable(DomainError):
    """This process is not (yet) following the broker, so it cannot serve subscriptions."""

    code = ErrorCode.LIVE_FEED_UNAVAILABLE
    http_status = 503

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Live updates are unavailable right now ({detail}); retry shortly.",
            extensions={"retryAfter": 5},
        )
