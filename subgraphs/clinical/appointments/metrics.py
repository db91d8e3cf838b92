"""Booking metrics for Prometheus (https://prometheus.io/docs/practices/naming/)."""

from __future__ import annotations

from prometheus_client import Counter

__all__ = ["BOOKING_CONFLICTS"]

BOOKING_CONFLICTS = Counter(
    "healthgraph_clinical_booking_conflicts",
    "Bookings or reschedules refused because the time overlaps another appointment.",
)
