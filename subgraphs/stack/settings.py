"""Settings of ``healthgraph up``: where data lives, which ports, and which services are external."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from subgraphs.common.settings import Environment
from subgraphs.stack.restarts import RestartPolicy

__all__ = ["StackSettings"]


class StackSettings(BaseSettings):
    """``HEALTHGRAPH_*`` variables, plus the standard ``DATABASE_URL``, ``KAFKA_BOOTSTRAP_SERVERS``
    and ``REDIS_URL``: when one of those is set, that service is external and not started here."""

    model_config = SettingsConfigDict(
        env_prefix="HEALTHGRAPH_", env_nested_delimiter="__", extra="ignore", populate_by_name=True
    )

    environment: Environment = "development"
    data_dir: Path = Path(".healthgraph")
    host: str = "127.0.0.1"

    router_port: int = 4000
    auth_port: int = 4001
    clinical_port: int = 4002
    billing_port: int = 4003
    billing_grpc_port: int = 4013  # billing's gRPC API (billing.v1.BillingService)
    # The local payment provider fakes, started for billing when no real keys are configured.
    stripe_fake_port: int = 4021
    paypal_fake_port: int = 4022
    # The local OIDC provider ("Demo ID"), started for auth when no provider is configured.
    oidc_fake_port: int = 4023
    kafka_port: int = 9092
    redis_port: int = 6379

    startup_timeout: float = Field(default=60.0, gt=0)
    # development and test: restart a child that dies (backoff); production: stop everything
    restart: RestartPolicy = Field(default_factory=RestartPolicy)

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "database_url")
    )
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "kafka_bootstrap_servers"),
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "redis_url")
    )

    @model_validator(mode="after")
    def _distinct_ports(self) -> StackSettings:
        """Two services on one port would answer for each other: refuse before starting anything."""
        names = (
            "router",
            "auth",
            "clinical",
            "billing",
            "billing_grpc",
            "stripe_fake",
            "paypal_fake",
            "oidc_fake",
        )
        ports = {name: self.port_of(name) for name in names}
        if self.kafka_bootstrap_servers is None:
            ports["kafka"] = self.kafka_port
        if self.redis_url is None:
            ports["redis"] = self.redis_port
        owners: dict[int, str] = {}
        for name, port in ports.items():
            if port in owners:
                raise ValueError(
                    f"HEALTHGRAPH_{owners[port].upper()}_PORT and HEALTHGRAPH_{name.upper()}_PORT "
                    f"are both {port}: each service needs a port of its own"
                )
            owners[port] = name
        return self

    def port_of(self, service: str) -> int:
        port: int = getattr(self, f"{service}_port")
        return port
