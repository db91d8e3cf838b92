"""Router settings from YAML, environment and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.limits import OperationLimits
from router.planner import PlanningLimits
from router.settings import load_settings


def test_yaml_then_env_then_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "router.yaml"
    config.write_text("port: 5000\nsubgraph_timeout: 5\nplan_cache_size: 7\n", encoding="utf-8")
    monkeypatch.setenv("ROUTER_PLAN_CACHE_SIZE", "9")
    settings = load_settings(str(config), port=6000, supergraph=None)
    assert settings.port == 6000
    assert settings.subgraph_timeout == 5
    assert settings.plan_cache_size == 9
    assert settings.supergraph == Path("supergraph.graphql")


def test_defaults() -> None:
    settings = load_settings()
    assert settings.subgraph_timeout == 30.0
    assert "authorization" in settings.propagate_headers


def test_bad_config(tmp_path: Path) -> None:
    config = tmp_path / "router.yaml"
    config.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must hold a mapping"):
        load_settings(str(config))


def test_production_turns_the_playground_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().playground_enabled
    monkeypatch.setenv("HEALTHGRAPH_ENVIRONMENT", "production")
    monkeypatch.setenv("ROUTER_PLAYGROUND", "true")
    settings = load_settings()
    assert settings.environment == "production"
    assert not settings.playground_enabled  # production cannot turn it back on


def test_playground_and_reload_knobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")  # only HEALTHGRAPH_ENVIRONMENT counts
    monkeypatch.setenv("ROUTER_PLAYGROUND", "false")
    monkeypatch.setenv("ROUTER_SUPERGRAPH_POLL_INTERVAL", "0")
    settings = load_settings()
    assert settings.environment == "development"
    assert not settings.playground_enabled
    assert settings.supergraph_poll_interval == 0
    config = tmp_path / "router.yaml"
    config.write_text("environment: test\n", encoding="utf-8")
    assert load_settings(str(config)).environment == "test"
    config.write_text("environment: staging\n", encoding="utf-8")
    with pytest.raises(ValueError, match="environment"):
        load_settings(str(config))


def test_operation_and_planning_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = load_settings()
    assert defaults.operation_limits() == OperationLimits()
    assert defaults.planning_limits() == PlanningLimits()
    config = tmp_path / "router.yaml"
    config.write_text("max_depth: 9\nmax_aliases: 3\nplanning_timeout: 0.5\n", encoding="utf-8")
    monkeypatch.setenv("ROUTER_MAX_ALIASES", "4")
    monkeypatch.setenv("ROUTER_MAX_PLAN_FETCHES", "12")
    settings = load_settings(str(config))
    assert settings.operation_limits() == OperationLimits(max_depth=9, max_aliases=4)
    assert settings.planning_limits() == PlanningLimits(max_fetches=12, timeout=0.5)
    config.write_text("max_depth: 0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="max_depth"):
        load_settings(str(config))


def test_authentication_and_authorization_settings(
    repo_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ROUTER_JWKS_URL", "HEALTHGRAPH_JWKS_URL"):
        monkeypatch.delenv(name, raising=False)
    plain = load_settings(str(repo_root / "router.yaml"))
    assert plain.issuers() == []
    assert not plain.authorization_enabled  # no JWK Set: anonymous and unfiltered, as before

    monkeypatch.setenv("HEALTHGRAPH_JWKS_URL", "http://127.0.0.1:4001/.well-known/jwks.json")
    monkeypatch.setenv("ROUTER_AUTHORIZATION__REJECT_UNAUTHORIZED", "true")
    settings = load_settings(str(repo_root / "router.yaml"))
    assert [i.jwks_url for i in settings.issuers()] == [
        "http://127.0.0.1:4001/.well-known/jwks.json"
    ]
    assert settings.authorization_enabled
    assert settings.authorization.reject_unauthorized
    # the environment's one key does not replace the file's policies
    policies = settings.authorization.policy_set()
    assert set(policies.rules) >= {"clinical.patient_access", "clinical.access_log"}
    assert not policies.decide("clinical.unknown", None)
