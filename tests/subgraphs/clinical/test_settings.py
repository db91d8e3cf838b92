"""Clinical settings: ``CLINICAL_*`` for the service, shared infrastructure unprefixed."""

from __future__ import annotations

import pytest

from subgraphs.clinical.settings import ClinicalSettings


def test_prefix_and_shared_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINICAL_DATABASE_URL", "postgresql+asyncpg://db/clinical_test")
    monkeypatch.setenv("CLINICAL_PORT", "4102")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:9092")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://elsewhere/wrong")
    settings = ClinicalSettings()
    assert settings.database_url == "postgresql+asyncpg://db/clinical_test"
    assert settings.port == 4102
    assert settings.kafka_bootstrap_servers == "broker:9092"


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CLINICAL_PORT", "CLINICAL_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert ClinicalSettings().port == 4002
