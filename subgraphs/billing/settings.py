"""Settings of the billing service, read from ``BILLING_*`` plus the shared infrastructure variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from subgraphs.billing.accounts.settings import AccountSettings
from subgraphs.billing.claims.chain.settings import ChainSettings
from subgraphs.billing.invoices.settings import InvoiceSettings
from subgraphs.billing.payments.settings import PaymentSettings
from subgraphs.common.rpc.settings import GrpcServerSettings
from subgraphs.common.settings import ServiceSettings

__all__ = ["BillingSettings"]


class BillingSettings(
    ServiceSettings,
    InvoiceSettings,
    AccountSettings,
    GrpcServerSettings,
    ChainSettings,
    PaymentSettings,
):
    """``BILLING_DATABASE_URL``, ``BILLING_PORT``, ``BILLING_CURRENCY`` and friends; shared infra
    stays unprefixed."""

    model_config = SettingsConfigDict(
        env_prefix="BILLING_", extra="ignore", populate_by_name=True, frozen=True
    )

    port: int = 4003
    # The gRPC API billing.v1.BillingService listens here; see GrpcServerSettings for the rest.
    grpc_port: int = Field(default=4013, ge=0, le=65535)
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/healthgraph_billing"
