"""Kafka consumer runners: decode the event envelope, handle, retry, dead-letter, commit after handling.

- :class:`EventConsumer` runs one consumer (a member of ``group_id``) over ``topics``: each record
  is decoded as an :class:`EventEnvelope` and given to the handler, partition by partition in
  offset order. Offsets are committed only after the records before them were handled (or
  dead-lettered), so a crash redelivers rather than loses.
- A failing handler is retried with capped, jittered backoff, ``max_attempts`` times in all; then
  the record goes to ``<topic>.dlq`` with the error in its headers and the consumer moves on.
  Outages (the database or another service unreachable) are not the message's fault: those
  are retried for as long as they last and never dead-lettered. Undecodable records go to the
  DLQ at once.
- :class:`IdempotentHandler` makes delivery effectively once: it runs the handler inside one
  database transaction that also records ``(consumer, event id)`` in ``processed_event``, and
  skips events already recorded.
- A ``batch_handler`` takes all the records of one partition fetched together (for stores that
  write many events per transaction); when it fails, or a record of the batch cannot be
  decoded, the batch is handled record by record with ``handler`` and the rules above.
- :func:`fan_out_consumer` is the light variant without a group, database or DLQ: every process
  sees every new event (for in-memory fan-out such as GraphQL subscriptions).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from sqlalchemy import text

from router.telemetry.tracing import tracing
from subgraphs.common.database import AsyncSession, Database
from subgraphs.common.events.backoff import Backoff
from subgraphs.common.events.clients import close_quietly, started
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.failures import describe_error, is_outage
from subgraphs.common.events.topics import dead_letter_topic, ensure_topics, topic_spec
from subgraphs.common.events.worker import BackgroundWorker
from subgraphs.common.telemetry.metrics import CONSUMER_LAG

__all__ = [
    "BatchHandler",
    "ConsumerState",
    "ConsumerStatus",
    "EnvelopeHandler",
    "EventConsumer",
    "IdempotentHandler",
    "SessionHandler",
    "fan_out_consumer",
]

logger = logging.getLogger(__name__)

EnvelopeHandler = Callable[[EventEnvelope], Awaitable[None]]
BatchHandler = Callable[[Sequence[EventEnvelope]], Awaitable[None]]
SessionHandler = Callable[[EventEnvelope, AsyncSession], Awaitable[None]]

_MAX_HEADER_ERROR = 1000


class IdempotentHandler:
    """Runs ``handler(envelope, session)`` at most once per event id for ``consumer``.

    The ``processed_event`` row and the handler's effects commit in one transaction; a
    redelivered event finds its row and is skipped. A failing handler rolls both back.
    """

    def __init__(self, *, database: Database, consumer: str, handler: SessionHandler) -> None:
        self._database = database
        self._consumer = consumer
        self._handler = handler
        self.handled = 0
        self.skipped = 0

    async def __call__(self, envelope: EventEnvelope) -> None:
        async with self._database.transaction() as session:
            connection = await session.connection()
            first_time = (
                await connection.execute(
                    text(
                        "INSERT INTO processed_event (consumer, event_id) VALUES (:consumer, :id)"
                        " ON CONFLICT DO NOTHING RETURNING 1"
                    ),
                    {"consumer": self._consumer, "id": envelope.id},
                )
            ).first()
            if first_time is None:
                self.skipped += 1
                return
            await self._handler(envelope, session)
        self.handled += 1


class ConsumerState(StrEnum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    RUNNING = "running"
    RETRYING = "retrying"


@dataclass(frozen=True, slots=True)
class ConsumerStatus:
    state: ConsumerState
    assigned: frozenset[TopicPartition]
    handled: int
    dead_lettered: int
    retries: int
    last_error: str | None


class _Stopping(Exception):
    """Raised inside the loop to abandon a record because the consumer is stopping."""


class EventConsumer(BackgroundWorker):
    """A consumer-group runner; see the module docstring. Use ``async with`` or start/stop."""

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        topics: Sequence[str],
        group_id: str | None,
        handler: EnvelopeHandler,
        batch_handler: BatchHandler | None = None,
        max_attempts: int = 5,
        backoff: Backoff | None = None,
        dead_letters: bool = True,
        auto_offset_reset: Literal["earliest", "latest"] = "earliest",
        max_records: int = 100,
        is_transient: Callable[[BaseException], bool] = is_outage,
        client_id: str = "healthgraph-consumer",
        consumer_options: Mapping[str, Any] | None = None,
        producer_options: Mapping[str, Any] | None = None,
    ) -> None:
        if not topics:
            raise ValueError("a consumer needs at least one topic")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        super().__init__(f"consumer-{group_id or 'fan-out'}")
        self.topics = tuple(topics)
        self.group_id = group_id
        self._bootstrap_servers = bootstrap_servers
        self._handler = handler
        self._batch_handler = batch_handler
        self._max_attempts = max_attempts
        self._backoff = backoff or Backoff(initial=0.2, maximum=30.0)
        self._dead_letters = dead_letters
        self._auto_offset_reset = auto_offset_reset
        self._max_records = max_records
        self._is_transient = is_transient
        self._client_id = client_id
        self._consumer_options = dict(consumer_options or {})
        self._producer_options = dict(producer_options or {})

        self._consumer: AIOKafkaConsumer | None = None
        self._producer: AIOKafkaProducer | None = None
        self._dead_letter_topics: set[str] = set()

        self._state = ConsumerState.STOPPED
        self._handled = 0
        self._dead_lettered = 0
        self._retries = 0
        self._last_error: str | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def status(self) -> ConsumerStatus:
        consumer = self._consumer
        return ConsumerStatus(
            state=self._state,
            assigned=frozenset(consumer.assignment()) if consumer is not None else frozenset(),
            handled=self._handled,
            dead_lettered=self._dead_lettered,
            retries=self._retries,
            last_error=self._last_error,
        )

    def _on_start(self) -> None:
        self._state = ConsumerState.CONNECTING

    def _on_stopped(self) -> None:
        # A record abandoned in hand (grace ran out) stays uncommitted: it is delivered again.
        self._state = ConsumerState.STOPPED

    # ------------------------------------------------------------------ the loop

    async def _run(self) -> None:
        try:
            await self._loop()
        finally:
            await self._disconnect()
            self._state = ConsumerState.STOPPED

    async def _loop(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            try:
                await self._connect()
                attempt = 0
                self._state = ConsumerState.RUNNING
                await self._consume()
            except _Stopping:
                return
            except Exception as exc:
                # The loop must outlive broker hiccups; whatever was not committed comes again.
                attempt += 1
                self._last_error = describe_error(exc)
                logger.warning("consumer %s failed; reconnecting", self.group_id, exc_info=True)
                self._state = ConsumerState.CONNECTING
                await self._disconnect()
                await self._sleep(self._backoff.delay(attempt))

    async def _connect(self) -> None:
        if self._consumer is not None:
            return
        options: dict[str, Any] = {
            "enable_auto_commit": False,
            "auto_offset_reset": self._auto_offset_reset,
            # Kafka answers a fetch as soon as data arrives; Tansu waits out the whole max wait,
            # so this bounds commit-to-handler latency there (20 idle fetches a second per consumer).
            "fetch_max_wait_ms": 50,
            **self._consumer_options,
        }
        self._consumer = await started(
            AIOKafkaConsumer(
                *self.topics,
                bootstrap_servers=self._bootstrap_servers,
                group_id=self.group_id,
                client_id=self._client_id,
                **options,
            )
        )

    async def _disconnect(self) -> None:
        consumer, self._consumer = self._consumer, None
        producer, self._producer = self._producer, None
        await close_quietly(consumer)
        await close_quietly(producer)

    async def _consume(self) -> None:
        consumer = self._consumer
        assert consumer is not None
        while not self._stopping.is_set():
            batches = await consumer.getmany(timeout_ms=200, max_records=self._max_records)
            for partition, records in batches.items():
                done: int | None = None
                try:
                    if await self._process_batch(records):
                        done = records[-1].offset + 1
                        continue
                    for record in records:
                        await self._process(record)
                        done = record.offset + 1
                finally:
                    # Commit what was handled, even when stopping half-way through a batch.
                    if done is not None:
                        await self._commit(consumer, partition, done)
                        self._measure_lag(consumer, partition, done)

    def _measure_lag(
        self, consumer: AIOKafkaConsumer, partition: TopicPartition, next_offset: int
    ) -> None:
        """Records still waiting in ``partition`` (its high watermark minus our next offset)."""
        highwater = consumer.highwater(partition)
        if highwater is not None:
            CONSUMER_LAG.labels(
                self.group_id or "(fan-out)", partition.topic, str(partition.partition)
            ).set(max(0, highwater - next_offset))

    async def _commit(
        self, consumer: AIOKafkaConsumer, partition: TopicPartition, offset: int
    ) -> None:
        if self.group_id is None:
            return
        try:
            await consumer.commit({partition: offset})
        except CommitFailedError as exc:
            # The partition moved to another member; it redelivers, and handlers de-duplicate.
            logger.info("consumer %s could not commit %s: %s", self.group_id, partition, exc)

    # ------------------------------------------------------------------ one batch

    async def _process_batch(self, records: Sequence[ConsumerRecord[bytes, bytes]]) -> bool:
        """True when ``batch_handler`` handled all of ``records`` at once."""
        if self._batch_handler is None or len(records) < 2:
            return False
        if self._stopping.is_set():
            raise _Stopping
        try:
            envelopes = [_decode(record) for record in records]
        except (ValueError, ValidationError):
            return False  # record by record: the undecodable one goes to the DLQ
        try:
            await self._batch_handler(envelopes)
        except Exception as exc:  # noqa: BLE001 (record by record decides: retry, outage, DLQ)
            self._last_error = describe_error(exc)
            logger.info("consumer %s batch failed, one by one now: %s", self.group_id, exc)
            return False
        self._handled += len(records)
        self._state = ConsumerState.RUNNING
        return True

    # ------------------------------------------------------------------ one record

    async def _process(self, record: ConsumerRecord[bytes, bytes]) -> None:
        if self._stopping.is_set():
            raise _Stopping
        try:
            envelope = _decode(record)
        except (ValueError, ValidationError) as exc:
            logger.warning(
                "undecodable record %s:%d@%d: %s",
                record.topic,
                record.partition,
                record.offset,
                _without_values(exc),
            )
            await self._give_up(record, exc, attempts=0)
            return
        attempts = 0  # failures that count against max_attempts (outages do not)
        tries = 0
        while True:
            try:
                await self._handle(record, envelope)
            except Exception as exc:
                self._last_error = describe_error(exc)
                tries += 1
                if not self._is_transient(exc):
                    attempts += 1
                if attempts >= self._max_attempts:
                    logger.warning(
                        "consumer %s gives up on event %s after %d attempts: %s",
                        self.group_id,
                        envelope.id,
                        attempts,
                        exc,
                    )
                    await self._give_up(record, exc, attempts=attempts)
                    return
                self._retries += 1
                self._state = ConsumerState.RETRYING
                await self._sleep(self._backoff.delay(tries))
                if self._stopping.is_set():
                    raise _Stopping from exc
            else:
                self._handled += 1
                self._state = ConsumerState.RUNNING
                return

    async def _handle(self, record: ConsumerRecord[bytes, bytes], envelope: EventEnvelope) -> None:
        """The handler, inside a consumer span continuing the publisher's trace when tracing."""
        if tracing.tracer is None:
            await self._handler(envelope)
            return
        carrier = {
            name: value.decode("latin-1")
            for name, value in record.headers
            if name in ("traceparent", "tracestate")
        }
        attributes = {
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": record.topic,
            "messaging.consumer.group.name": self.group_id or "",
        }
        with tracing.span(
            f"process {record.topic}",
            kind=SpanKind.CONSUMER,
            parent=tracing.extract(carrier),
            attributes=attributes,
        ):
            await self._handler(envelope)

    async def _give_up(
        self, record: ConsumerRecord[bytes, bytes], error: BaseException, *, attempts: int
    ) -> None:
        if not self._dead_letters:
            logger.error(
                "consumer %s drops %s:%d@%d",
                self.group_id,
                record.topic,
                record.partition,
                record.offset,
            )
            return
        target = dead_letter_topic(record.topic)
        headers = [
            *record.headers,
            ("dlq-original-topic", record.topic.encode()),
            ("dlq-original-partition", str(record.partition).encode()),
            ("dlq-original-offset", str(record.offset).encode()),
            ("dlq-consumer-group", (self.group_id or "").encode()),
            ("dlq-error-type", type(error).__name__.encode()),
            ("dlq-error", str(error)[:_MAX_HEADER_ERROR].encode()),
            ("dlq-attempts", str(attempts).encode()),
            ("dlq-failed-at", datetime.now(UTC).isoformat().encode()),
        ]
        failures = 0
        while True:
            try:
                producer = await self._dead_letter_producer(target, record.topic)
                await producer.send_and_wait(target, record.value, key=record.key, headers=headers)
            except (KafkaError, OSError) as exc:
                # Never move past a record that is neither handled nor parked.
                failures += 1
                self._last_error = f"dead-letter: {describe_error(exc)}"
                self._state = ConsumerState.RETRYING
                producer, self._producer = self._producer, None
                await close_quietly(producer)
                await self._sleep(self._backoff.delay(failures))
                if self._stopping.is_set():
                    raise _Stopping from exc
            else:
                self._dead_lettered += 1
                self._state = ConsumerState.RUNNING
                return

    async def _dead_letter_producer(self, target: str, source: str) -> AIOKafkaProducer:
        if target not in self._dead_letter_topics:
            await ensure_topics(self._bootstrap_servers, [topic_spec(source).dead_letter])
            self._dead_letter_topics.add(target)
        if self._producer is None:
            self._producer = await started(
                AIOKafkaProducer(
                    bootstrap_servers=self._bootstrap_servers,
                    client_id=f"{self._client_id}-dlq",
                    acks="all",
                    **self._producer_options,
                )
            )
        return self._producer


def fan_out_consumer(
    *,
    bootstrap_servers: str,
    topics: Sequence[str],
    handler: EnvelopeHandler,
    max_attempts: int = 1,
    **options: Any,
) -> EventConsumer:
    """Every process receives every event published from now on; no group, no DLQ, no commits.

    For in-memory fan-out (GraphQL subscriptions, cache invalidation). A handler that keeps
    failing only loses that event for this process.
    """
    return EventConsumer(
        bootstrap_servers=bootstrap_servers,
        topics=topics,
        group_id=None,
        handler=handler,
        max_attempts=max_attempts,
        dead_letters=False,
        auto_offset_reset="latest",
        **options,
    )


def _without_values(error: ValueError) -> str:
    """What was wrong with a record, never its content (a payload may hold patient data):
    pydantic's messages quote the offending input, so only its field paths and error types."""
    if isinstance(error, ValidationError):
        problems = ", ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'record'} ({problem['type']})"
            for problem in error.errors()[:10]
        )
        return f"{error.error_count()} invalid field(s): {problems}"
    return describe_error(error)


def _decode(record: ConsumerRecord[bytes, bytes]) -> EventEnvelope:
    if record.value is None:
        raise ValueError("the record has no value")
    return EventEnvelope.from_bytes(record.value)
