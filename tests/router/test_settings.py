"""Router settings from YAML, environment and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

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
