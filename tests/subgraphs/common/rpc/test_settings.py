"""The gRPC settings mixins read each service's own prefix."""

from __future__ import annotations

import pytest

from subgraphs.billing.settings import BillingSettings
from subgraphs.clinical.settings import ClinicalSettings


def test_billing_serves_on_4013_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    assert BillingSettings().grpc_port == 4013
    assert BillingSettings().grpc_service_token is None
    monkeypatch.setenv("BILLING_GRPC_PORT", "5013")
    monkeypatch.setenv("BILLING_GRPC_SERVICE_TOKEN", "synthetic-token")
    settings = BillingSettings()
    assert settings.grpc_port == 5013
    assert settings.grpc_service_token is not None
    assert settings.grpc_service_token.get_secret_value() == "synthetic-token"
    assert "synthetic-token" not in repr(settings)


def test_clinical_calls_billing_where_told(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = ClinicalSettings()
    assert (defaults.billing_grpc_target, defaults.billing_grpc_timeout) == ("127.0.0.1:4013", 2.0)
    monkeypatch.setenv("CLINICAL_BILLING_GRPC_TARGET", "billing:4013")
    monkeypatch.setenv("CLINICAL_BILLING_GRPC_TIMEOUT", "0.5")
    settings = ClinicalSettings()
    assert (settings.billing_grpc_target, settings.billing_grpc_timeout) == ("billing:4013", 0.5)
