"""The registry of Kafka topics healthgraph publishes to, and creating them idempotently."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

__all__ = [
    "AUDIT_ACCESS",
    "AUTH_EVENTS",
    "BILLING_EVENTS",
    "CLINICAL_APPOINTMENTS",
    "CLINICAL_EVENTS",
    "CLINICAL_PRESCRIPTIONS",
    "CLINICAL_RECORDS",
    "DEFAULT_PARTITIONS",
    "TOPICS",
    "TopicSpec",
    "dead_letter_topic",
    "ensure_topics",
    "registry_topics",
    "topic_spec",
]

logger = logging.getLogger(__name__)

DEFAULT_PARTITIONS = 3
# Kafka's rule for topic names (brokers that do not enforce it get it enforced here).
_LEGAL_NAME = re.compile(r"[a-zA-Z0-9._-]{1,249}")
DEAD_LETTER_SUFFIX = ".dlq"


def dead_letter_topic(topic: str) -> str:
    """Where a consumer of ``topic`` parks the messages it could not handle."""
    return f"{topic}{DEAD_LETTER_SUFFIX}"


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """A topic and its partition count.

    Events are keyed by aggregate id, so one aggregate always lands on one partition and its
    events stay in order. Changing ``partitions`` of a live topic moves keys between partitions
    and breaks that order for in-flight aggregates: add partitions only with the relays stopped.
    """

    name: str
    partitions: int = DEFAULT_PARTITIONS
    description: str = ""

    def __post_init__(self) -> None:
        if not _LEGAL_NAME.fullmatch(self.name) or self.name in {".", ".."}:
            raise ValueError(
                f"invalid topic name {self.name!r}: use 1-249 of [a-zA-Z0-9._-], as Kafka does"
            )
        if self.partitions < 1:
            raise ValueError(f"invalid topic {self.name!r} with {self.partitions} partitions")

    @property
    def dead_letter(self) -> TopicSpec:
        return TopicSpec(
            dead_letter_topic(self.name), 1, f"Messages consumers of {self.name} gave up on."
        )


AUTH_EVENTS = TopicSpec("auth.events", 3, "Users, roles, sessions and MFA changes.")
# The live feeds (subscriptions) number events by their offset in ONE partition, so that a
# reconnecting client can say "since N" against a single total order shared by every replica.
# One partition carries thousands of events per second, far above a hospital's change rate.
CLINICAL_APPOINTMENTS = TopicSpec(
    "clinical.appointments", 1, "Appointments booked, moved, cancelled and attended (live feed)."
)
CLINICAL_RECORDS = TopicSpec("clinical.records", 1, "Medical record versions (live feed).")
CLINICAL_PRESCRIPTIONS = TopicSpec("clinical.prescriptions", 3, "Prescriptions issued and revoked.")
CLINICAL_EVENTS = TopicSpec("clinical.events", 3, "Patients, doctors and other clinical changes.")
BILLING_EVENTS = TopicSpec("billing.events", 3, "Invoices, payments, refunds and claims.")
AUDIT_ACCESS = TopicSpec("audit.access", 6, "Who read or changed which record, and when.")

TOPICS: Mapping[str, TopicSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            AUTH_EVENTS,
            CLINICAL_APPOINTMENTS,
            CLINICAL_RECORDS,
            CLINICAL_PRESCRIPTIONS,
            CLINICAL_EVENTS,
            BILLING_EVENTS,
            AUDIT_ACCESS,
        )
    }
)


def topic_spec(name: str) -> TopicSpec:
    """The registered spec of ``name``; unregistered topics get :data:`DEFAULT_PARTITIONS`."""
    return TOPICS.get(name) or TopicSpec(name)


def registry_topics(*, dead_letters: bool = True) -> list[TopicSpec]:
    """Every registered topic, followed by their dead-letter topics unless told otherwise."""
    specs = list(TOPICS.values())
    if dead_letters:
        specs += [spec.dead_letter for spec in TOPICS.values()]
    return specs


async def ensure_topics(
    bootstrap_servers: str,
    topics: Iterable[TopicSpec] | None = None,
    *,
    replication_factor: int = 1,
    request_timeout: float = 10.0,
) -> list[str]:
    """Create whichever of ``topics`` (default: the registry and its DLQs) do not exist yet.

    Idempotent and safe to race: a topic created meanwhile by someone else counts as existing.
    Returns the names created by this call. Raises the broker's error for anything else.
    A topic that exists with another partition count than its spec is left alone and logged.
    """
    wanted = {spec.name: spec for spec in (registry_topics() if topics is None else topics)}
    if not wanted:
        return []
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers,
        client_id="healthgraph-topics",
        request_timeout_ms=int(request_timeout * 1000),
    )
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [spec for name, spec in wanted.items() if name not in existing]
        created: list[str] = []
        if missing:
            response = await admin.create_topics(
                [NewTopic(spec.name, spec.partitions, replication_factor) for spec in missing],
                timeout_ms=int(request_timeout * 1000),
            )
            for name, code, message in (error[:3] for error in response.topic_errors):
                if code == 0:
                    created.append(name)
                elif for_code(code) is not TopicAlreadyExistsError:
                    raise for_code(code)(f"cannot create topic {name!r}: {message}")
        present = [name for name in wanted if name in existing]
        if present:
            await _warn_on_partition_drift(admin, [wanted[name] for name in present])
    finally:
        await admin.close()
    if created:
        logger.info("created Kafka topics %s", ", ".join(created))
    return created


async def _warn_on_partition_drift(admin: AIOKafkaAdminClient, specs: list[TopicSpec]) -> None:
    for description in await admin.describe_topics([spec.name for spec in specs]):
        spec = next((s for s in specs if s.name == description["topic"]), None)
        found = len(description.get("partitions") or ())
        if spec is not None and found and found != spec.partitions:
            logger.warning(
                "topic %s has %d partitions, the registry says %d",
                spec.name,
                found,
                spec.partitions,
            )
