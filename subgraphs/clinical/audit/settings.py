"""Access audit store settings, mixed into the clinical service's settings (prefix ``CLINICAL_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["AuditSettings"]


class AuditSettings(BaseSettings):
    """``CLINICAL_AUDIT_STORE_ENABLED``, ``..._SWEEP_INTERVAL``, ``..._SWEEP_GRACE``, ``..._FULL_SWEEP_INTERVAL``."""

    model_config = SettingsConfigDict(env_prefix="CLINICAL_", extra="ignore", frozen=True)

    # False: this replica neither consumes audit.access nor catches the store up from the outbox.
    audit_store_enabled: bool = True
    # The consumer group feeding the store (one per clinical database).
    audit_store_group: str = Field(default="clinical-audit-store", min_length=1, max_length=200)
    # Seconds between catch-up passes over the outbox's recent audit events.
    audit_sweep_interval: float = Field(default=30.0, gt=0, le=3600)
    # An outbox audit event younger than this is left to the consumer (seconds).
    audit_sweep_grace: float = Field(default=10.0, ge=0, le=3600)
    # Seconds between passes over the whole outbox (every unstored audit event, however old).
    audit_full_sweep_interval: float = Field(default=3600.0, gt=0, le=86_400)
