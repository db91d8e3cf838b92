"""The topics live subscriptions follow (each produced through the outbox by whoever changes it).

Both come from the kernel's topic registry, where they have exactly one partition: its order is
the one order of the topic's events, which the positions of the stored feed log follow.
"""

from __future__ import annotations

from subgraphs.common.events.topics import CLINICAL_APPOINTMENTS, CLINICAL_RECORDS

__all__ = ["APPOINTMENTS_TOPIC", "LIVE_TOPICS", "RECORDS_TOPIC"]

APPOINTMENTS_TOPIC = CLINICAL_APPOINTMENTS.name
RECORDS_TOPIC = CLINICAL_RECORDS.name
LIVE_TOPICS = (APPOINTMENTS_TOPIC, RECORDS_TOPIC)
