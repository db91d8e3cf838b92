"""Operation limits come from each service's settings and can be overridden per service."""

from __future__ import annotations

import pytest

from subgraphs.auth.settings import AuthSettings
from subgraphs.clinical.settings import ClinicalSettings
from subgraphs.common.limits import ServiceLimits
from subgraphs.common.settings import ServiceSettings


def test_defaults_and_auths_tighter_limits() -> None:
    assert ServiceSettings().operation_limits == ServiceLimits()
    auth = AuthSettings().operation_limits.operation
    assert (auth.max_depth, auth.max_aliases) == (8, 15)


def test_each_service_reads_its_own_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINICAL_GRAPHQL_MAX_DEPTH", "20")
    monkeypatch.setenv("CLINICAL_GRAPHQL_OPERATION_TIMEOUT", "2.5")
    monkeypatch.setenv("AUTH_GRAPHQL_MAX_LIST_LENGTH", "100")
    clinical = ClinicalSettings().operation_limits
    assert (clinical.operation.max_depth, clinical.timeout, clinical.max_list_length) == (
        20,
        2.5,
        10_000,
    )
    assert AuthSettings().operation_limits.max_list_length == 100
