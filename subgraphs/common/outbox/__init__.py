"""Transactional outbox: events written in the same transaction as the change, relayed to Kafka."""

from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.outbox.models import OutboxEvent, ProcessedEvent
from subgraphs.common.outbox.writer import record_event

__all__ = ["EventEnvelope", "OutboxEvent", "ProcessedEvent", "record_event"]
