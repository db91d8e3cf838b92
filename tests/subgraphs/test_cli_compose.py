"""The ``healthgraph compose`` command."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from subgraphs.cli import app

FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'


def _project(tmp_path: Path, sdl: str) -> tuple[Path, Path]:
    (tmp_path / "clinical.graphql").write_text(sdl)
    config = tmp_path / "supergraph.yaml"
    config.write_text(
        "federation_version: 2\nsubgraphs:\n  clinical:\n"
        "    routing_url: http://clinical/graphql\n    schema:\n      file: clinical.graphql\n"
    )
    return config, tmp_path / "schema" / "supergraph.graphql"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["compose", *args])
    return result.exit_code, result.stdout, result.stderr


def test_compose_writes_then_check_passes(tmp_path: Path) -> None:
    config, out = _project(tmp_path, FED + "type Query { a: Int }\n")
    code, stdout, _ = _run("--config", str(config), "--out", str(out))
    assert code == 0
    assert f"wrote {out}" in stdout
    code, stdout, _ = _run("--config", str(config), "--out", str(out), "--check")
    assert (code, "up to date") == (0, stdout.split(":")[0])


def test_check_fails_naming_stale_files(tmp_path: Path) -> None:
    config, out = _project(tmp_path, FED + "type Query { a: Int }\n")
    code, _, stderr = _run("--config", str(config), "--out", str(out), "--check")
    assert code == 1
    assert str(out) in stderr
    assert str(tmp_path / "schema" / "clinical.graphql") in stderr


def test_composition_errors_exit_non_zero_with_codes(tmp_path: Path) -> None:
    config, out = _project(
        tmp_path, FED + 'type Query { a: T }\ntype T @key(fields: "x") { id: ID }\n'
    )
    code, _, stderr = _run("--config", str(config), "--out", str(out))
    assert code == 1
    assert "KEY_INVALID_FIELDS: [clinical]" in stderr
    assert not out.exists()


def test_missing_config_is_a_clear_error(tmp_path: Path) -> None:
    code, _, stderr = _run("--config", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "cannot read" in stderr


def test_our_subgraphs_are_exported_from_code(tmp_path: Path) -> None:
    config = tmp_path / "supergraph.yaml"
    config.write_text(
        "federation_version: =2.11.0\nsubgraphs:\n  auth:\n"
        "    routing_url: http://auth/graphql\n    schema:\n      file: schema/auth.graphql\n"
    )
    out = tmp_path / "schema" / "supergraph.graphql"
    code, stdout, _ = _run("--config", str(config), "--out", str(out))
    assert code == 0, stdout
    exported = tmp_path / "schema" / "auth.graphql"
    assert f"exported {exported}" in stdout
    assert "type User @key" in exported.read_text()
    exported.write_text(exported.read_text() + "\n# edited by hand\n")
    code, _, stderr = _run("--config", str(config), "--out", str(out), "--check")
    assert code == 1
    assert str(exported) in stderr
