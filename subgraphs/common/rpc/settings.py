"""Settings of a service's gRPC server and of a client of the billing gRPC API (mixins)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings

__all__ = ["BillingClientSettings", "GrpcServerSettings"]


class GrpcServerSettings(BaseSettings):
    """``<PREFIX>GRPC_PORT`` (0: any free port), ``<PREFIX>GRPC_SERVICE_TOKEN`` (callers must
    present it; unset: generated once into ``<data dir>/keys/<service>-grpc.token``)."""

    grpc_enabled: bool = True
    grpc_host: str = "127.0.0.1"
    grpc_port: int = Field(default=0, ge=0, le=65535)
    grpc_service_token: SecretStr | None = None
    # Seconds in-flight calls may finish in when the service stops.
    grpc_shutdown_grace: float = Field(default=5.0, ge=0, le=60)


class BillingClientSettings(BaseSettings):
    """Where billing's gRPC API is (``<PREFIX>BILLING_GRPC_TARGET``), the service token to present
    (``<PREFIX>BILLING_GRPC_TOKEN``; unset: billing's generated one in the shared data dir) and
    each call's deadline in seconds."""

    billing_grpc_enabled: bool = True
    billing_grpc_target: str = "127.0.0.1:4013"
    billing_grpc_token: SecretStr | None = None
    billing_grpc_timeout: float = Field(default=2.0, gt=0, le=30)
