"""The topics live subscriptions follow (each produced through the outbox by whoever changes it)."""

from __future__ import annotations

from subgraphs.clinical.records.events import RECORDS_TOPIC

__all__ = ["APPOINTMENTS_TOPIC", "LIVE_TOPICS", "RECORDS_TOPIC"]

# Produced by the appointments domain (its events: appointment.booked, .rescheduled, ...).
APPOINTMENTS_TOPIC = "clinical.appointments"
LIVE_TOPICS = (APPOINTMENTS_TOPIC, RECORDS_TOPIC)
