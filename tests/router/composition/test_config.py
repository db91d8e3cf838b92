"""rover-format supergraph.yaml loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.composition.config import ConfigError, load_config


def test_loads_files_and_urls_relative_to_the_yaml(tmp_path: Path) -> None:
    config_path = tmp_path / "conf" / "supergraph.yaml"
    config_path.parent.mkdir()
    config_path.write_text(
        "federation_version: =2.11.0\n"
        "subgraphs:\n"
        "  clinical:\n"
        "    routing_url: http://localhost:4002/graphql\n"
        "    schema:\n"
        "      file: ../clinical.graphql\n"
        "  billing:\n"
        "    routing_url: http://localhost:4003/graphql\n"
        "    schema:\n"
        "      subgraph_url: http://localhost:4003/graphql\n"
    )
    config = load_config(config_path)
    assert config.federation_version == "=2.11.0"
    assert config.subgraphs["clinical"].schema_.file == config_path.parent / "../clinical.graphql"
    assert config.subgraphs["billing"].schema_.subgraph_url == "http://localhost:4003/graphql"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("subgraphs: {}\n", "at least one subgraph"),
        ("federation_version: 1\nsubgraphs:\n  a: {routing_url: x, schema: {file: a}}\n", "2"),
        ("subgraphs:\n  a: {routing_url: x, schema: {}}\n", "exactly one"),
        ("subgraphs:\n  a: {schema: {file: a}}\n", "routing_url"),
        ("subgraphs: [\n", "not valid YAML"),
    ],
)
def test_invalid_configs_are_explained(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "supergraph.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=needle):
        load_config(path)


def test_missing_config_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    ("version", "pinned"), [("=2.11.0", (2, 11)), ("2", None), ("=2.3", (2, 3)), ("2.9", None)]
)
def test_pinned_federation(tmp_path: Path, version: str, pinned: tuple[int, int] | None) -> None:
    path = tmp_path / "supergraph.yaml"
    path.write_text(
        f"federation_version: '{version}'\n"
        "subgraphs:\n  a: {routing_url: 'http://a', schema: {file: a.graphql}}\n"
    )
    assert load_config(path).pinned_federation == pinned


def test_env_placeholders_are_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HG_TOKEN", "secret-token")
    path = tmp_path / "supergraph.yaml"
    path.write_text(
        "subgraphs:\n  a:\n    routing_url: http://a\n    schema:\n"
        "      subgraph_url: http://a\n"
        "      introspection_headers: {Authorization: 'Bearer ${env.HG_TOKEN}'}\n"
    )
    headers = load_config(path).subgraphs["a"].schema_.introspection_headers
    assert headers == {"Authorization": "Bearer secret-token"}
    monkeypatch.delenv("HG_TOKEN")
    with pytest.raises(ConfigError, match="HG_TOKEN is not set"):
        load_config(path)
