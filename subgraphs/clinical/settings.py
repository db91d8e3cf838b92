"""Settings of the clinical service, read from ``CLINICAL_*`` plus the shared infrastructure variables."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from subgraphs.clinical.analytics.settings import AnalyticsSettings
from subgraphs.clinical.audit.settings import AuditSettings
from subgraphs.clinical.live.settings import LiveSettings
from subgraphs.clinical.prescriptions.settings import PrescriptionSettings
from subgraphs.common.rpc.settings import BillingClientSettings
from subgraphs.common.settings import ServiceSettings

__all__ = ["ClinicalSettings"]


class ClinicalSettings(
    ServiceSettings,
    PrescriptionSettings,
    LiveSettings,
    AuditSettings,
    AnalyticsSettings,
    BillingClientSettings,
):
    """``CLINICAL_DATABASE_URL``, ``CLINICAL_PORT``, ``CLINICAL_PRESCRIPTION_KEY_PATH``,
    ``CLINICAL_LIVE_REPLAY_CAPACITY``, ``CLINICAL_BILLING_GRPC_TARGET`` and friends; shared infra
    stays unprefixed."""

    model_config = SettingsConfigDict(
        env_prefix="CLINICAL_", extra="ignore", populate_by_name=True, frozen=True
    )

    port: int = 4002
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/clinical"
