"""Settings shared by every service; each service subclasses :class:`ServiceSettings` with its prefix."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from router.limits import OperationLimits
from subgraphs.common.limits import ServiceLimits

__all__ = ["Environment", "ServiceSettings", "default_data_dir"]

Environment = Literal["development", "test", "production"]
_LIMITS = ServiceLimits()  # the defaults of the ``graphql_*`` settings


def default_data_dir() -> Path:
    """Where data, keys and secrets live when ``HEALTHGRAPH_DATA_DIR`` is not set: the user's
    data directory (XDG), never the process's working directory."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "healthgraph"


class ServiceSettings(BaseSettings):
    """What every service reads from its environment.

    Service-specific values use the subclass's prefix (``AUTH_DATABASE_URL``); infrastructure that
    every service shares is read unprefixed (``KAFKA_BOOTSTRAP_SERVERS``, ``REDIS_URL``,
    ``HEALTHGRAPH_JWT_ISSUER``, ...).
    """

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    environment: Environment = Field(
        default="development",
        validation_alias=AliasChoices("HEALTHGRAPH_ENVIRONMENT", "environment"),
    )
    host: str = "127.0.0.1"
    port: int = 0
    log_level: str = "info"

    # Keys and secrets live below this directory (``healthgraph up`` sets it for every process).
    data_dir: Path = Field(
        default_factory=default_data_dir,
        validation_alias=AliasChoices("HEALTHGRAPH_DATA_DIR", "data_dir"),
    )

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    database_pool_size: int = Field(default=10, ge=1, le=200)
    # Connections beyond the pool while busy, and how long a request waits for one (seconds)
    # before it fails fast with SERVICE_UNAVAILABLE.
    database_max_overflow: int = Field(default=10, ge=0, le=200)
    database_pool_timeout: float = Field(default=5.0, gt=0, le=60)
    # Server-side bounds on every statement and every lock wait (seconds), well under the
    # router's 30 s subgraph timeout, so the database never works on for a client that has gone.
    database_statement_timeout: float = Field(default=5.0, gt=0, le=600)
    database_lock_timeout: float = Field(default=2.0, gt=0, le=600)
    # Transactions that lose a deadlock or a serialization race are re-run this many times in
    # all, within this many seconds, after a jittered exponential backoff.
    database_retry_attempts: int = Field(default=5, ge=1, le=20)
    database_retry_budget: float = Field(default=8.0, gt=0, le=60)
    database_echo: bool = False

    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "kafka_bootstrap_servers"),
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        validation_alias=AliasChoices("REDIS_URL", "redis_url"),
    )

    jwt_issuer: str = Field(
        default="http://127.0.0.1:4001",
        validation_alias=AliasChoices("HEALTHGRAPH_JWT_ISSUER", "jwt_issuer"),
    )
    jwt_audience: str = Field(
        default="healthgraph",
        validation_alias=AliasChoices("HEALTHGRAPH_JWT_AUDIENCE", "jwt_audience"),
    )
    jwks_url: str = Field(
        default="http://127.0.0.1:4001/.well-known/jwks.json",
        validation_alias=AliasChoices("HEALTHGRAPH_JWKS_URL", "jwks_url"),
    )

    outbox_relay_enabled: bool = True
    outbox_batch_size: int = Field(default=200, ge=1, le=10_000)
    # Seconds between outbox polls when no NOTIFY arrives (NOTIFY wakes the relay at once).
    outbox_poll_interval: float = Field(default=1.0, gt=0, le=60)
    # Published outbox rows older than this are deleted; None keeps them forever.
    outbox_retention: timedelta | None = timedelta(days=7)

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().absolute()

    # Operation limits and input hygiene (router.limits, shared with the router; .inputs); a service may
    # override them (``AUTH_GRAPHQL_MAX_DEPTH``) or change the defaults in its subclass.
    graphql_max_depth: int = Field(default=_LIMITS.operation.max_depth, ge=1)
    graphql_max_aliases: int = Field(default=_LIMITS.operation.max_aliases, ge=0)
    graphql_max_tokens: int = Field(default=_LIMITS.operation.max_tokens, ge=1)
    graphql_max_root_fields: int = Field(default=_LIMITS.operation.max_root_fields, ge=1)
    graphql_max_directives: int = Field(default=_LIMITS.operation.max_directives, ge=0)
    # Selections (fields, fragments, spreads) once every fragment is expanded: a bomb is refused.
    graphql_max_selections: int = Field(default=_LIMITS.operation.max_selections, ge=1)
    # Items of any list in the variables (``_entities`` representations included).
    graphql_max_list_length: int = Field(default=_LIMITS.max_list_length, ge=1)
    # Seconds an HTTP operation may run before it is answered OPERATION_TIMEOUT.
    graphql_operation_timeout: float = Field(default=_LIMITS.timeout, gt=0)

    @property
    def operation_limits(self) -> ServiceLimits:
        """The limits every GraphQL operation of this service is held to."""
        return ServiceLimits(
            OperationLimits(
                max_tokens=self.graphql_max_tokens,
                max_depth=self.graphql_max_depth,
                max_aliases=self.graphql_max_aliases,
                max_root_fields=self.graphql_max_root_fields,
                max_directives=self.graphql_max_directives,
                max_selections=self.graphql_max_selections,
            ),
            max_list_length=self.graphql_max_list_length,
            timeout=self.graphql_operation_timeout,
        )

    @property
    def production(self) -> bool:
        return self.environment == "production"
