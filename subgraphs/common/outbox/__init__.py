"""Transactional outbox: events written in the same transaction as the change, relayed to Kafka."""

from subgraphs.common.outbox.models import OutboxEvent, ProcessedEvent
from subgraphs.common.outbox.writer import record_event

__all__ = ["OutboxEvent", "ProcessedEvent", "record_event"]
