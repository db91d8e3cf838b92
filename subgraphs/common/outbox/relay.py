"""The outbox relay: committed ``outbox_event`` rows to Kafka, at least once, in order per aggregate.

How it keeps its promises:

- **At least once.** A row is marked ``published_at`` only after the broker acknowledged it
  (``acks=all``). A crash between the acknowledgement and the mark publishes the row again on the
  next pass; consumers de-duplicate by event id (``processed_event``).
- **In order per aggregate.** The Kafka key is the aggregate id, so an aggregate's events share
  one partition of their topic. Rows are read in ``position`` order; all rows bound for one
  partition go out as Kafka record batches, one at a time, each appended atomically by the
  broker. The next batch of a partition is sent only after the previous one was acknowledged, and
  a failed batch stops its partition for this pass, so event N+1 is never published before
  event N is acknowledged. Partitions proceed independently. An aggregate whose events go to
  several topics has, per pass, only its rows up to the first change of topic sent; the rest
  wait for the next pass, so its order holds across topics too. An event the broker keeps
  refusing therefore holds back the events queued behind it in its partition (visible as
  ``attempts``/``last_error`` on its row) until an operator repairs or removes the row.
- **One relay per database.** Several processes may run a relay for the same database; the one
  holding the PostgreSQL advisory lock :data:`RELAY_LOCK_KEY` publishes, the others stand by and
  take over when its session ends (clean stop, crash or lost connection).
- **Prompt.** The active relay LISTENs on :data:`OUTBOX_CHANNEL` (the writer NOTIFYs on commit),
  is woken directly after a commit of a writer in its own process
  (:func:`~subgraphs.common.outbox.writer.on_local_commit`), and falls back to polling every
  ``poll_interval`` seconds.
- **Never blocks writers.** It takes no row locks; while the broker is down it backs off
  exponentially with jitter, records ``attempts`` and ``last_error`` on the waiting rows, and
  catches up in order once the broker answers again.
- **Retention.** Published rows older than ``retention`` are deleted by the active relay, at most
  once per ``prune_interval``; ``retention=None`` keeps them forever.

Writers order an aggregate's events by ``position``, i.e. by insertion: two transactions that
touch the same aggregate must serialise on it (they normally do, by updating its row).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import asyncpg
import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from sqlalchemy.engine import make_url

from router.telemetry.tracing import tracing
from subgraphs.common.events.backoff import Backoff
from subgraphs.common.events.clients import close_quietly, started
from subgraphs.common.events.envelope import EventEnvelope
from subgraphs.common.events.failures import describe_error
from subgraphs.common.events.topics import TopicSpec, ensure_topics, topic_spec
from subgraphs.common.events.worker import BackgroundWorker
from subgraphs.common.outbox.writer import OUTBOX_CHANNEL, on_local_commit
from subgraphs.common.telemetry.metrics import (
    OUTBOX_BACKLOG,
    OUTBOX_OLDEST_AGE,
    OUTBOX_PUBLISHED,
    OUTBOX_RELAY_LAG,
)

if TYPE_CHECKING:
    from fastapi import FastAPI

    from subgraphs.common.state import ServiceState

__all__ = [
    "RELAY_LOCK_KEY",
    "OutboxRelay",
    "OutboxRelayHook",
    "RelayState",
    "RelayStatus",
    "event_headers",
    "libpq_dsn",
]

logger = logging.getLogger(__name__)

# pg_advisory_lock key of the active relay; advisory locks are scoped to one database.
RELAY_LOCK_KEY = 0x6867_6F75_7462_6F78  # "hgoutbox"
_MAX_ERROR_LENGTH = 2000
_PRUNE_CHUNK = 5000

_FETCH = """
SELECT position, id, topic, type, version, aggregate_type, aggregate_id, occurred_at, actor,
       payload::text AS payload, trace_context
FROM outbox_event
WHERE published_at IS NULL
ORDER BY position
LIMIT $1
"""
_MARK_PUBLISHED = """
UPDATE outbox_event
SET published_at = now(), attempts = attempts + 1, last_error = NULL
WHERE position = ANY($1::bigint[])
"""
_MARK_FAILED = """
UPDATE outbox_event
SET attempts = attempts + 1, last_error = $2
WHERE position = ANY($1::bigint[]) AND published_at IS NULL
"""
_BACKLOG = """
SELECT count(*) AS events, extract(epoch FROM now() - min(occurred_at)) AS oldest
FROM outbox_event
WHERE published_at IS NULL
"""
_BACKLOG_INTERVAL = 5.0  # seconds between backlog counts while busy (idle: known to be 0)
_PRUNE = """
DELETE FROM outbox_event
WHERE position IN (
    SELECT position FROM outbox_event
    WHERE published_at IS NOT NULL AND published_at < now() - $1::interval
    LIMIT $2
)
"""


def libpq_dsn(database_url: str) -> str:
    """A SQLAlchemy URL (``postgresql+asyncpg://...``) as a plain DSN for ``asyncpg.connect``."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def event_headers(event_id: str, event_type: str, aggregate_type: str) -> list[tuple[str, bytes]]:
    """Kafka headers of an event record: enough to route or park it without parsing the value."""
    return [
        ("event-id", event_id.encode()),
        ("event-type", event_type.encode()),
        ("aggregate-type", aggregate_type.encode()),
        ("content-type", b"application/json"),
    ]


class RelayState(StrEnum):
    """What a relay is doing right now."""

    STOPPED = "stopped"
    CONNECTING = "connecting"
    STANDBY = "standby"
    ACTIVE = "active"
    BACKING_OFF = "backing_off"


@dataclass(frozen=True, slots=True)
class RelayStatus:
    """A snapshot for readiness probes and dashboards."""

    state: RelayState
    leader: bool
    published: int
    consecutive_failures: int
    last_error: str | None
    last_published_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.value,
            "leader": self.leader,
            "published": self.published,
            "consecutiveFailures": self.consecutive_failures,
            "lastError": self.last_error,
            "lastPublishedAt": self.last_published_at.isoformat()
            if self.last_published_at
            else None,
        }


@dataclass(slots=True)
class _Row:
    position: int
    topic: str
    aggregate: tuple[str, str]  # (aggregate_type, aggregate_id)
    aggregate_id: str
    value: bytes
    headers: list[tuple[str, bytes]]
    timestamp_ms: int
    trace_context: str | None = None
    span: Span | None = None  # the publish span, while tracing

    @classmethod
    def from_record(cls, record: asyncpg.Record) -> _Row:
        envelope = EventEnvelope(
            id=record["id"],
            type=record["type"],
            version=record["version"],
            aggregate_type=record["aggregate_type"],
            aggregate_id=record["aggregate_id"],
            occurred_at=record["occurred_at"],
            actor=record["actor"],
            payload=orjson.loads(record["payload"]),
        )
        return cls(
            position=record["position"],
            topic=record["topic"],
            aggregate=(envelope.aggregate_type, envelope.aggregate_id),
            aggregate_id=envelope.aggregate_id,
            value=envelope.to_bytes(),
            headers=event_headers(str(envelope.id), envelope.type, envelope.aggregate_type),
            timestamp_ms=int(envelope.occurred_at.timestamp() * 1000),
            trace_context=record["trace_context"],
        )


@dataclass(slots=True)
class _PassResult:
    acked: list[int] = field(default_factory=list)
    failed: dict[str, list[int]] = field(default_factory=dict)  # error -> positions


class _LeadershipLost(Exception):
    """The lock session ended, so another relay may be publishing now."""


class OutboxRelay(BackgroundWorker):
    """Publishes one database's outbox to Kafka; see the module docstring for the guarantees."""

    def __init__(
        self,
        *,
        database_url: str,
        bootstrap_servers: str,
        batch_size: int = 200,
        poll_interval: float = 1.0,
        standby_interval: float | None = None,
        retention: timedelta | None = timedelta(days=7),
        prune_interval: float = 300.0,
        backoff: Backoff | None = None,
        publish_timeout: float = 15.0,
        topics: Mapping[str, TopicSpec] | None = None,
        create_topics: bool = True,
        lock_key: int = RELAY_LOCK_KEY,
        client_id: str = "healthgraph-outbox-relay",
        producer_options: Mapping[str, Any] | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        super().__init__("outbox-relay")
        self._dsn = libpq_dsn(database_url)
        self._bootstrap_servers = bootstrap_servers
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._standby_interval = standby_interval if standby_interval is not None else poll_interval
        self._retention = retention
        self._prune_interval = prune_interval
        self._backoff = backoff or Backoff(initial=0.2, maximum=30.0)
        self._publish_timeout = publish_timeout
        self._topics = topics
        self._create_topics = create_topics
        self._lock_key = lock_key
        self._client_id = client_id
        self._producer_options = dict(producer_options or {})

        self._wakeup = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._ensured_topics: set[str] = set()
        self._partitioner = DefaultPartitioner()
        self._last_prune = 0.0
        self._last_backlog = 0.0

        self._state = RelayState.STOPPED
        self._published = 0
        self._failures = 0
        self._last_error: str | None = None
        self._last_published_at: datetime | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def status(self) -> RelayStatus:
        return RelayStatus(
            state=self._state,
            leader=self._state in {RelayState.ACTIVE, RelayState.BACKING_OFF},
            published=self._published,
            consecutive_failures=self._failures,
            last_error=self._last_error,
            last_published_at=self._last_published_at,
        )

    def _on_start(self) -> None:
        self._state = RelayState.CONNECTING

    def _on_stopping(self) -> None:
        self._wakeup.set()

    def _on_stopped(self) -> None:
        self._state = RelayState.STOPPED

    def notify(self) -> None:
        """Wake the relay now, as a NOTIFY on :data:`OUTBOX_CHANNEL` would."""
        self._wakeup.set()

    # ------------------------------------------------------------------ leadership

    async def _run(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            try:
                async with self._lock_session() as connection:
                    attempt = 0
                    await self._lead(connection)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, _LeadershipLost) as exc:
                attempt += 1
                self._record_error(f"database: {describe_error(exc)}")
                logger.warning("outbox relay lost its database session: %s", describe_error(exc))
            except Exception as exc:
                # A relay that died would delay every event: log it, back off and go on.
                attempt += 1
                self._record_error(describe_error(exc))
                logger.exception("outbox relay failed; retrying")
            finally:
                await self._close_producer()
            if not self._stopping.is_set():
                self._state = RelayState.CONNECTING
                await self._sleep(self._backoff.delay(attempt))
        self._state = RelayState.STOPPED

    @asynccontextmanager
    async def _lock_session(self) -> AsyncIterator[asyncpg.Connection]:
        self._state = RelayState.CONNECTING
        connection: asyncpg.Connection = await asyncpg.connect(
            self._dsn, server_settings={"application_name": self._client_id}
        )
        try:
            yield connection
        finally:
            if not connection.is_closed():
                # Closing the session releases the advisory lock and the LISTEN as well.
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(connection.close(), 5.0)

    async def _lead(self, connection: asyncpg.Connection) -> None:
        """Wait for the advisory lock, then publish until told to stop."""
        while not self._stopping.is_set():
            if await connection.fetchval("SELECT pg_try_advisory_lock($1)", self._lock_key):
                break
            self._state = RelayState.STANDBY
            await self._sleep(self._standby_interval)
        else:
            return
        logger.info("outbox relay is active")
        self._state = RelayState.ACTIVE
        await connection.add_listener(OUTBOX_CHANNEL, self._on_notify)
        forget_local = on_local_commit(self.notify)  # writers of this process wake it directly
        try:
            await self._pump(connection)
        finally:
            forget_local()
            if not connection.is_closed():
                with contextlib.suppress(Exception):
                    await connection.remove_listener(OUTBOX_CHANNEL, self._on_notify)
                    await connection.execute("SELECT pg_advisory_unlock($1)", self._lock_key)

    def _on_notify(self, *_: object) -> None:
        self._wakeup.set()

    # ------------------------------------------------------------------ publishing

    async def _pump(self, connection: asyncpg.Connection) -> None:
        while not self._stopping.is_set():
            if connection.is_closed():
                raise _LeadershipLost("the lock session is closed")
            self._wakeup.clear()
            await self._prune(connection)  # at most once per prune_interval, busy or idle
            records = await connection.fetch(_FETCH, self._batch_size)
            if not records:
                OUTBOX_BACKLOG.set(0)
                OUTBOX_OLDEST_AGE.set(0)
                await self._wait_for_work()
                continue
            await self._measure_backlog(connection)
            rows = _one_topic_per_aggregate([_Row.from_record(record) for record in records])
            result = await self._publish(rows)
            if connection.is_closed():
                # Another relay may own the outbox now; what we could not mark it will resend.
                raise _LeadershipLost("the lock session closed while publishing")
            if result.acked:
                await connection.execute(_MARK_PUBLISHED, result.acked)
                self._published += len(result.acked)
                self._last_published_at = datetime.now(UTC)
            if result.failed:
                for error, positions in result.failed.items():
                    await connection.execute(_MARK_FAILED, positions, error[:_MAX_ERROR_LENGTH])
                self._failures += 1
                self._record_error(next(iter(result.failed)))
                self._state = RelayState.BACKING_OFF
                delay = self._backoff.delay(self._failures)
                logger.warning(
                    "outbox relay: %d events not published, retrying in %.1fs: %s",
                    sum(len(p) for p in result.failed.values()),
                    delay,
                    self._last_error,
                )
                await self._close_producer()
                await self._sleep(delay)
            else:
                self._failures = 0
                self._state = RelayState.ACTIVE

    async def _measure_backlog(self, connection: asyncpg.Connection) -> None:
        """Backlog gauges, counted at most every few seconds while there is work."""
        loop = asyncio.get_running_loop()
        if self._last_backlog and loop.time() - self._last_backlog < _BACKLOG_INTERVAL:
            return
        self._last_backlog = loop.time()
        row = await connection.fetchrow(_BACKLOG)
        if row is not None:
            OUTBOX_BACKLOG.set(row["events"])
            OUTBOX_OLDEST_AGE.set(float(row["oldest"] or 0))

    async def _wait_for_work(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), self._poll_interval)

    async def _publish(self, rows: Sequence[_Row]) -> _PassResult:
        """Send ``rows`` (in position order); report which were acknowledged and which failed."""
        result = _PassResult()
        try:
            producer = await self._ensure_producer()
        except Exception as exc:  # noqa: BLE001 (any broker failure leaves the rows for the next pass)
            result.failed[describe_error(exc)] = [row.position for row in rows]
            return result
        by_topic: dict[str, list[_Row]] = {}
        for row in rows:
            by_topic.setdefault(row.topic, []).append(row)
        # Streams (topic, partition) proceed independently: each aggregate is in one of them.
        await asyncio.gather(
            *(
                self._publish_topic(producer, topic, topic_rows, result)
                for topic, topic_rows in by_topic.items()
            )
        )
        return result

    async def _publish_topic(
        self, producer: AIOKafkaProducer, topic: str, rows: list[_Row], result: _PassResult
    ) -> None:
        try:
            spec = (self._topics or {}).get(topic) or topic_spec(topic)  # validates the name
            async with asyncio.timeout(self._publish_timeout):
                if self._create_topics and topic not in self._ensured_topics:
                    await ensure_topics(
                        self._bootstrap_servers, [spec], request_timeout=self._publish_timeout
                    )
                    self._ensured_topics.add(topic)
                partitions = sorted(await producer.partitions_for(topic))
        except Exception as exc:  # noqa: BLE001 (recorded on the rows, retried with backoff)
            result.failed.setdefault(describe_error(exc), []).extend(row.position for row in rows)
            return
        by_partition: dict[int, list[_Row]] = {}
        partition_of: dict[str, int] = {}
        for row in rows:
            partition = partition_of.get(row.aggregate_id)
            if partition is None:
                key = row.aggregate_id.encode()
                partition = partition_of[row.aggregate_id] = self._partitioner(
                    key, partitions, partitions
                )
            by_partition.setdefault(partition, []).append(row)
        await asyncio.gather(
            *(
                self._publish_partition(producer, topic, partition, partition_rows, result)
                for partition, partition_rows in by_partition.items()
            )
        )

    async def _publish_partition(
        self,
        producer: AIOKafkaProducer,
        topic: str,
        partition: int,
        rows: list[_Row],
        result: _PassResult,
    ) -> None:
        """Send ``rows`` as consecutive record batches, each only after the previous was acked."""
        sent = 0
        try:
            while sent < len(rows):
                batch = producer.create_batch()
                end = _fill_batch(batch, rows, sent)
                # The producer fails the future after its own request timeout; ours is a backstop.
                async with asyncio.timeout(self._publish_timeout * 2):
                    acknowledged = await producer.send_batch(batch, topic, partition=partition)
                    await acknowledged
                _published(topic, rows[sent:end])
                result.acked.extend(row.position for row in rows[sent:end])
                sent = end
        except Exception as exc:  # noqa: BLE001 (this partition stops here; retried with backoff)
            _end_spans(rows[sent:], type(exc).__name__)
            result.failed.setdefault(describe_error(exc), []).extend(
                row.position for row in rows[sent:]
            )

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is not None:
            return self._producer
        options: dict[str, Any] = {
            "acks": "all",
            "linger_ms": 0,
            "max_batch_size": 1024 * 1024,
            "request_timeout_ms": int(self._publish_timeout * 1000),
            "retry_backoff_ms": 100,
            **self._producer_options,
        }
        producer = await started(
            AIOKafkaProducer(
                bootstrap_servers=self._bootstrap_servers, client_id=self._client_id, **options
            ),
            within=self._publish_timeout,
        )
        self._producer = producer
        # A broker that lost its topics (or a new cluster) gets them recreated before we publish.
        self._ensured_topics.clear()
        return producer

    async def _close_producer(self) -> None:
        producer, self._producer = self._producer, None
        await close_quietly(producer, within=self._publish_timeout)

    # ------------------------------------------------------------------ housekeeping

    async def _prune(self, connection: asyncpg.Connection) -> None:
        if self._retention is None:
            return
        loop = asyncio.get_running_loop()
        if self._last_prune and loop.time() - self._last_prune < self._prune_interval:
            return
        self._last_prune = loop.time()
        deleted = 0
        while not self._stopping.is_set():
            status: str = await connection.execute(_PRUNE, self._retention, _PRUNE_CHUNK)
            count = int(status.rsplit(" ", 1)[-1])
            deleted += count
            if count < _PRUNE_CHUNK:
                break
        if deleted:
            logger.info("outbox relay pruned %d published events", deleted)

    def _record_error(self, error: str) -> None:
        self._last_error = error[:_MAX_ERROR_LENGTH]


def _one_topic_per_aggregate(rows: Sequence[_Row]) -> list[_Row]:
    """``rows`` minus, per aggregate, everything from its first change of topic on.

    Within one pass each aggregate then lives in a single (topic, partition) stream, whose
    batches go out strictly one after another; the deferred rows wait for the next pass, which
    starts only once this one is acknowledged. So even an aggregate whose events span topics
    never has event N+1 published before event N.
    """
    topic_of: dict[tuple[str, str], str] = {}
    deferred: set[tuple[str, str]] = set()
    kept: list[_Row] = []
    for row in rows:
        if row.aggregate in deferred:
            continue
        if topic_of.setdefault(row.aggregate, row.topic) != row.topic:
            deferred.add(row.aggregate)
            continue
        kept.append(row)
    return kept


def _published(topic: str, rows: Sequence[_Row]) -> None:
    """Count acknowledged rows, observe their commit-to-ack lag, end their publish spans."""
    now_ms = time.time() * 1000
    OUTBOX_PUBLISHED.labels(topic).inc(len(rows))
    lag = OUTBOX_RELAY_LAG.labels(topic)
    for row in rows:
        lag.observe(max(0.0, (now_ms - row.timestamp_ms) / 1000))
    _end_spans(rows, None)


def _end_spans(rows: Sequence[_Row], error: str | None) -> None:
    for row in rows:
        span, row.span = row.span, None
        if span is not None:
            if error is not None:
                span.set_status(Status(StatusCode.ERROR, error))
            span.end()


def _traced_headers(row: _Row, topic: str) -> list[tuple[str, bytes]]:
    """The row's headers; while tracing, plus the ``traceparent`` of a publish span that
    continues the trace of the request that wrote the row (W3C trace context in Kafka headers)."""
    tracer = tracing.tracer
    if tracer is None or row.trace_context is None:
        return row.headers
    if row.span is None:
        parent = tracing.extract({"traceparent": row.trace_context})
        row.span = tracer.start_span(
            f"publish {topic}",
            context=parent,
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "kafka",
                "messaging.operation.type": "send",
                "messaging.destination.name": topic,
            },
        )
    carrier: dict[str, str] = {}
    tracing.inject(carrier, context=trace.set_span_in_context(row.span))
    return [*row.headers, *((k, v.encode()) for k, v in carrier.items())]


def _fill_batch(batch: Any, rows: Sequence[_Row], start: int) -> int:
    """Append ``rows[start:]`` to ``batch`` until it is full; the index after the last appended."""
    end = start
    while end < len(rows):
        row = rows[end]
        key = row.aggregate_id.encode()
        headers = _traced_headers(row, row.topic)
        if (
            batch.append(timestamp=row.timestamp_ms, key=key, value=row.value, headers=headers)
            is None
        ):
            break
        end += 1
    if end == start:
        raise ValueError(
            f"outbox event at position {rows[start].position} is larger than a Kafka batch"
        )
    return end


class OutboxRelayHook:
    """The relay as a ``create_service_app`` lifespan plus a readiness check.

    ``hook = OutboxRelayHook()`` then ``create_service_app(..., lifespans=(hook,),
    readiness={"outbox": hook.check_ready})``. Honours ``settings.outbox_relay_enabled``,
    ``outbox_batch_size``, ``outbox_poll_interval`` and ``outbox_retention``; the running relay
    is ``app.state.outbox_relay``.
    """

    def __init__(self, **relay_options: Any) -> None:
        self._relay_options = relay_options
        self.relay: OutboxRelay | None = None

    @asynccontextmanager
    async def __call__(self, app: FastAPI, state: ServiceState) -> AsyncIterator[None]:
        settings = state.settings
        if not settings.outbox_relay_enabled:
            app.state.outbox_relay = None
            yield
            return
        options: dict[str, Any] = {
            "database_url": settings.database_url,
            "bootstrap_servers": settings.kafka_bootstrap_servers,
            "batch_size": settings.outbox_batch_size,
            "poll_interval": settings.outbox_poll_interval,
            "retention": settings.outbox_retention,
            **self._relay_options,
        }
        relay = OutboxRelay(**options)
        self.relay = relay
        app.state.outbox_relay = relay
        relay.start()
        try:
            yield
        finally:
            await relay.stop()
            self.relay = None

    async def check_ready(self) -> None:
        """Ready when the relay runs (active or standing by), or when it is disabled."""
        if self.relay is not None:
            await self.relay.check_ready()
